//! `rand` with the rand 0.7 `Rng` API, over Debian's rand 0.8.5 (the only rand the offline registry has).
//!
//! HumanEvalPack's Rust tests were written against rand <= 0.7: Rust/32 and Rust/50 call `rng.gen_range(low, high)`,
//! which rand 0.8 replaced by `gen_range(low..high)`. Everything of rand 0.8 is re-exported unchanged except `Rng`
//! (and the prelude's `Rng`), whose `gen_range` takes the two bounds as 0.7 did and forwards to 0.8's half-open range.
//! The other `Rng` methods forward unchanged. Programs written for 0.8's one-argument form do not compile against it,
//! exactly as they would not under the rand the benchmark was written for.
//!
//! `thread_rng()` and `random()` are seeded with a fixed seed (42) per thread, so a program's verdict is the same on
//! every run. The Python original of Rust/32 seeds its test with `random.Random(42)`; the Rust port lost the seed, and
//! with OS entropy its canonical Newton solver loops forever on some random polynomials (9 of 20 runs timed out).
pub use rand08::*;
pub use seeded::{random, thread_rng, ThreadRng};

use rand08::distributions::uniform::SampleUniform;
use rand08::distributions::{Distribution, Standard};

pub trait Rng: RngCore {
    fn gen<T>(&mut self) -> T
    where
        Standard: Distribution<T>,
    {
        rand08::Rng::gen(self)
    }

    /// rand 0.7: a value in `[low, high)`; panics when `low >= high`, as 0.7 did.
    fn gen_range<T: SampleUniform + PartialOrd>(&mut self, low: T, high: T) -> T {
        rand08::Rng::gen_range(self, low..high)
    }

    fn gen_bool(&mut self, p: f64) -> bool {
        rand08::Rng::gen_bool(self, p)
    }

    fn gen_ratio(&mut self, numerator: u32, denominator: u32) -> bool {
        rand08::Rng::gen_ratio(self, numerator, denominator)
    }

    fn sample<T, D: Distribution<T>>(&mut self, distr: D) -> T {
        rand08::Rng::sample(self, distr)
    }

    fn sample_iter<T, D: Distribution<T>>(self, distr: D) -> distributions::DistIter<D, Self, T>
    where
        Self: Sized,
    {
        rand08::Rng::sample_iter(self, distr)
    }

    fn fill<T: rand08::Fill + ?Sized>(&mut self, dest: &mut T) {
        rand08::Rng::fill(self, dest)
    }
}

impl<R: RngCore + ?Sized> Rng for R {}

pub mod prelude {
    pub use crate::Rng;
    pub use crate::seeded::{random, thread_rng, ThreadRng};
    pub use rand08::prelude::{Distribution, IteratorRandom, RngCore, SeedableRng, SliceRandom, StdRng};
}

/// Deterministic stand-ins for rand's entropy-seeded thread-local generator.
pub mod seeded {
    use rand08::distributions::{Distribution, Standard};
    use rand08::rngs::StdRng;
    use rand08::{Error, RngCore, SeedableRng};
    use std::cell::RefCell;
    use std::rc::Rc;

    pub const SEED: u64 = 42;

    thread_local! {
        static RNG: Rc<RefCell<StdRng>> = Rc::new(RefCell::new(StdRng::seed_from_u64(SEED)));
    }

    /// Shares the thread's generator, like rand's ThreadRng.
    #[derive(Clone, Debug)]
    pub struct ThreadRng {
        rng: Rc<RefCell<StdRng>>,
    }

    impl Default for ThreadRng {
        fn default() -> Self {
            thread_rng()
        }
    }

    pub fn thread_rng() -> ThreadRng {
        ThreadRng { rng: RNG.with(|r| r.clone()) }
    }

    pub fn random<T>() -> T
    where
        Standard: Distribution<T>,
    {
        rand08::Rng::gen(&mut thread_rng())
    }

    impl RngCore for ThreadRng {
        fn next_u32(&mut self) -> u32 {
            self.rng.borrow_mut().next_u32()
        }

        fn next_u64(&mut self) -> u64 {
            self.rng.borrow_mut().next_u64()
        }

        fn fill_bytes(&mut self, dest: &mut [u8]) {
            self.rng.borrow_mut().fill_bytes(dest)
        }

        fn try_fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), Error> {
            self.rng.borrow_mut().try_fill_bytes(dest)
        }
    }
}
