package dev.mole.gpu.training;

import dev.mole.contracts.storage.BlobStore;
import dev.mole.contracts.storage.ObjectRef;
import dev.mole.contracts.training.SvdActivities;
import dev.mole.contracts.training.SvdFactorsRef;
import dev.mole.contracts.training.SvdHeartbeat;
import dev.mole.contracts.training.SvdRequest;
import dev.mole.gpu.model.ModelOptions;
import dev.mole.gpu.model.PissaFactors;
import dev.mole.gpu.model.SvdMethod;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * {@link SvdActivities} on a GPU worker: fetches the base, derives the factors' key from its identity, and returns the
 * stored factors when their folder is committed; otherwise computes every projection's top k on the worker's device
 * (heartbeating each) and stores them, manifest last. A retry after a crash finds no manifest and computes again.
 */
public final class SvdActivitiesImpl implements SvdActivities {

    private final BlobStore store;
    private final Path workDir;
    private final ModelOptions options;

    /** @param workDir local copies of base checkpoints, one folder per object-store folder, kept for later calls */
    public SvdActivitiesImpl(BlobStore store, Path workDir, ModelOptions options) {
        this.store = store;
        this.workDir = workDir;
        this.options = options;
    }

    @Override
    public SvdFactorsRef factors(SvdRequest req) {
        ActivityExecutionContext ctx = Activity.getExecutionContext();
        Path base;
        try {
            base = ObjectFolders.download(store, req.baseCheckpoint(), workDir.resolve(safe(req.baseCheckpoint().uri())), "base checkpoint");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String baseSha = BaseModelHash.of(base);
        SvdMethod method = SvdMethod.parse(req.svd());
        String key = SvdFactorStore.key(baseSha, req.rank(), method);
        ObjectRef folder = req.folder().child(key);
        Optional<SvdFactorStore.Manifest> stored = SvdFactorStore.committed(store, folder, key);
        if (stored.isPresent()) return ref(folder, stored.get(), false);
        long t1 = System.nanoTime();
        PissaFactors f = PissaFactors.compute(base, req.rank(), method, options,
                (done, total) -> ctx.heartbeat(new SvdHeartbeat(done, total, (System.nanoTime() - t1) / 1e9)));
        double seconds = (System.nanoTime() - t1) / 1e9;
        SvdFactorStore.Manifest m = SvdFactorStore.write(store, folder, key, baseSha, f, seconds);
        System.out.println(String.format(Locale.ROOT, "svd: top %d of %d projections of %s by %s in %.1f s (%.2f s each) -> %s",
                req.rank(), f.size(), req.baseCheckpoint(), method, seconds, seconds / f.size(), folder));
        return ref(folder, m, true);
    }

    private static SvdFactorsRef ref(ObjectRef folder, SvdFactorStore.Manifest m, boolean computed) {
        return new SvdFactorsRef(folder.child(SvdFactorStore.MANIFEST), m.key(), m.rank(), m.svd().toLowerCase(Locale.ROOT),
                m.layers() * m.projections().size(), m.seconds(), computed);
    }

    private static String safe(String s) {
        return s.replaceAll("[^A-Za-z0-9._-]", "_");
    }
}
