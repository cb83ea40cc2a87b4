package dev.mole.contracts.training;

import dev.mole.contracts.storage.ObjectRef;

/**
 * Stored PiSSA factors of one base: what a {@link TrainingRequest#svdFactors()} names.
 *
 * @param manifest    the factors' manifest (written last, after every factor file: its presence commits the folder)
 * @param key         sha256 of what decides the factors' values (base identity, k, SVD algorithm and its settings)
 * @param rank        k, the number of top singular components stored per projection
 * @param svd         "randomized" or "exact"
 * @param projections how many projections (layers x gate, up, down)
 * @param seconds     how long computing the whole base took when the factors were made
 * @param computed    true when this call computed them, false when it found them stored
 */
public record SvdFactorsRef(ObjectRef manifest, String key, int rank, String svd, int projections, double seconds,
                            boolean computed) {}
