package dev.mole.gpu.training;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.mole.contracts.storage.BaseModelIdentity;
import dev.mole.contracts.storage.BlobStore;
import dev.mole.contracts.storage.ObjectRef;
import dev.mole.gpu.model.PissaFactors;
import dev.mole.gpu.model.SvdMethod;
import dev.mole.gpu.model.internal.SvdFactors;
import dev.mole.gpu.training.internal.F32Safetensors;
import dev.mole.gpu.training.internal.Sha256;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Content-addressed store of {@link PissaFactors} in the object store: {@code <root>/<key>/layer-NNNNN-<sha>.safetensors}
 * (U [out, k], S [k], V [in, k] of each of the layer's gate, up and down) and {@value #MANIFEST}, written last as the
 * folder's commit marker. The key is the sha256 of everything that decides the factors' values ({@link #key}), so every
 * run, seed and arm that needs the same top k of the same base finds them. Layer files are named by their own content:
 * two workers computing one key at once (on devices whose float rounding differs) never overwrite each other's files,
 * so whichever manifest lands last names a consistent set.
 */
public final class SvdFactorStore {

    public static final String FORMAT = "mole-svd-factors/1";
    public static final String MANIFEST = "manifest.json";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /**
     * @param key             the folder's name, {@link #key} of the fields below
     * @param baseModelSha256 {@link BaseModelIdentity} of the base the factors are of
     * @param rank            k
     * @param svd             {@link SvdMethod} name
     * @param settings        {@link SvdMethod#settings()} at the time of computing
     * @param seconds         how long computing the whole base took (the SVDs, not the download)
     * @param files           one per layer, in layer order
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Manifest(String format, String key, String baseModelSha256, int rank, String svd, String settings,
                           int layers, List<String> projections, double seconds, List<LayerFile> files) {}

    /** @param bytes lets a reader tell a complete folder by listing sizes, without reading every file */
    public record LayerFile(String name, String sha256, long bytes) {}

    private SvdFactorStore() {}

    /**
     * sha256 of the base's identity, k, which weights are decomposed and how. Not in it: how k splits into shared and
     * experts, the adapters' order or alphas, the training seed: none of them changes the top k, so MoLE-48+16 (either
     * init order, nl_expert too) and AllLang-FT / PerLang-FT r64 share one key.
     */
    public static String key(String baseModelSha256, int rank, SvdMethod method) {
        String text = FORMAT + "\n"
                + "base " + baseModelSha256 + "\n"
                + "weights model.layers.*.mlp." + String.join(",", PissaFactors.PROJECTIONS) + ".weight as W [out, in], float32\n"
                + "rank " + rank + "\n"
                + "svd " + method.name() + "\n"
                + "settings " + method.settings() + "\n";
        return BaseModelIdentity.sha256(text.getBytes(StandardCharsets.UTF_8));
    }

    static String layerFile(int layer, String sha256) {
        return String.format("layer-%05d-%s.safetensors", layer, sha256.substring(0, 16));
    }

    /**
     * The manifest of a whole folder, or empty: no manifest (never committed, or an upload died before it), one that does
     * not parse or names another key, or a listed file missing or of another size. An empty answer means: compute again.
     */
    public static Optional<Manifest> committed(BlobStore store, ObjectRef folder, String key) {
        ObjectRef ref = folder.child(MANIFEST);
        if (!store.exists(ref)) return Optional.empty();
        Manifest m;
        try {
            m = JSON.readValue(store.read(ref), Manifest.class);
        } catch (IOException e) {
            return Optional.empty();
        }
        if (!FORMAT.equals(m.format()) || !key.equals(m.key()) || m.files() == null || m.files().size() != m.layers()) {
            return Optional.empty();
        }
        for (LayerFile f : m.files()) {
            if (f == null || f.name() == null || !store.size(folder.child(f.name())).equals(Optional.of(f.bytes()))) return Optional.empty();
        }
        return Optional.of(m);
    }

    /** Writes every layer file, then the manifest. */
    public static Manifest write(BlobStore store, ObjectRef folder, String key, String baseModelSha256, PissaFactors f,
                                 double seconds) {
        List<LayerFile> files = new ArrayList<>();
        for (int l = 0; l < f.layers(); l++) {
            Map<String, F32Safetensors.Tensor> t = new LinkedHashMap<>();
            for (String proj : PissaFactors.PROJECTIONS) {
                SvdFactors s = f.get(l, proj);
                String p = "model.layers." + l + ".mlp." + proj;
                t.put(p + ".U", new F32Safetensors.Tensor(new long[] {s.m(), s.k()}, s.u()));
                t.put(p + ".S", new F32Safetensors.Tensor(new long[] {s.k()}, s.s()));
                t.put(p + ".V", new F32Safetensors.Tensor(new long[] {s.n(), s.k()}, s.v()));
            }
            byte[] b = F32Safetensors.encode(t);
            String sha = Sha256.of(b);
            LayerFile lf = new LayerFile(layerFile(l, sha), sha, b.length);
            store.put(folder.child(lf.name()), b, "application/octet-stream");
            files.add(lf);
        }
        Manifest m = new Manifest(FORMAT, key, baseModelSha256, f.rank(), f.method().name(), f.method().settings(), f.layers(),
                PissaFactors.PROJECTIONS, seconds, files);
        try {
            store.put(folder.child(MANIFEST), JSON.writeValueAsBytes(m), "application/json");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return m;
    }

    /**
     * Reads the factors a training request names, refusing (with what to do about it) factors of another base, k or method,
     * an uncommitted folder, and a file whose bytes do not match the manifest's sha256.
     */
    public static PissaFactors read(BlobStore store, ObjectRef manifest, String baseModelSha256, int rank, SvdMethod method) {
        ObjectRef folder = manifest.sibling("");
        String redo = "; delete " + folder + " and run the svd stage again";
        if (!store.exists(manifest)) {
            throw new IllegalArgumentException("no SVD factors at " + manifest + ": the folder was never committed (no manifest)" + redo);
        }
        Manifest m;
        try {
            m = JSON.readValue(store.read(manifest), Manifest.class);
        } catch (IOException e) {
            throw new IllegalArgumentException("SVD factor manifest " + manifest + " does not parse: " + e.getMessage() + redo, e);
        }
        if (!FORMAT.equals(m.format())) throw new IllegalArgumentException(manifest + " is not an SVD factor manifest (" + m.format() + ")");
        if (!baseModelSha256.equals(m.baseModelSha256())) {
            throw new IllegalArgumentException("SVD factors at " + folder + " are of another base model (" + m.baseModelSha256()
                    + ") than this run's (" + baseModelSha256 + ")");
        }
        if (m.rank() != rank || !method.name().equals(m.svd())) {
            throw new IllegalArgumentException("SVD factors at " + folder + " are the top " + m.rank() + " by " + m.svd()
                    + " SVD; this run needs the top " + rank + " by " + method.name());
        }
        String want = key(baseModelSha256, rank, method);
        if (!want.equals(m.key())) {
            throw new IllegalArgumentException("SVD factors at " + folder + " have key " + m.key() + ", computed with other settings ("
                    + m.settings() + ") than this worker's (key " + want + ")");
        }
        if (m.files() == null || m.files().size() != m.layers()) {
            throw new IllegalArgumentException("SVD factor manifest " + manifest + " lists " + (m.files() == null ? 0 : m.files().size())
                    + " layer files for " + m.layers() + " layers" + redo);
        }
        List<SvdFactors> out = new ArrayList<>();
        for (int l = 0; l < m.layers(); l++) {
            LayerFile lf = m.files().get(l);
            ObjectRef ref = folder.child(lf.name());
            if (!store.exists(ref)) throw new IllegalArgumentException("SVD factor file " + ref + " is missing" + redo);
            byte[] b = store.read(ref);
            if (!Sha256.of(b).equals(lf.sha256())) {
                throw new IllegalArgumentException("SVD factor file " + ref + " does not match its sha256 in the manifest: the stored "
                        + "factors are damaged" + redo);
            }
            Map<String, F32Safetensors.Tensor> t = F32Safetensors.decode(b);
            for (String proj : PissaFactors.PROJECTIONS) {
                String p = "model.layers." + l + ".mlp." + proj;
                F32Safetensors.Tensor u = t.get(p + ".U"), s = t.get(p + ".S"), v = t.get(p + ".V");
                if (u == null || s == null || v == null) throw new IllegalArgumentException("SVD factor file " + ref + " lacks " + p + redo);
                out.add(new SvdFactors((int) u.shape()[0], (int) v.shape()[0], (int) s.shape()[0], u.data(), s.data(), v.data()));
            }
        }
        return new PissaFactors(rank, method, out);
    }
}
