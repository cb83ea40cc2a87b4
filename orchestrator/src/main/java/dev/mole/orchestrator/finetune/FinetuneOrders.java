package dev.mole.orchestrator.finetune;

import dev.mole.contracts.storage.BlobStore;
import dev.mole.contracts.storage.ObjectRef;
import dev.mole.contracts.training.FinetuneRequest;
import dev.mole.orchestrator.datasets.DatasetCatalog;
import dev.mole.orchestrator.datasets.DatasetRecord;
import java.util.List;

/**
 * Turns a {@link FinetuneOrder} into a {@link FinetuneRequest}: the fields are checked first, then the dataset is looked
 * up in the catalog and the base folder in the object store, so a run that cannot start is refused with a sentence
 * instead of failing on a GPU worker.
 */
public final class FinetuneOrders {
    /** A console shows the first 12 to 16 characters of an id; fewer would match by accident. */
    static final int MIN_PREFIX = 8;

    private final DatasetCatalog datasets;
    private final BlobStore blobs;

    public FinetuneOrders(DatasetCatalog datasets, BlobStore blobs) {
        this.datasets = datasets;
        this.blobs = blobs;
    }

    /** The dataset (or its manifest) the order names does not exist: a 404 to the API, not a bad field. */
    public static final class UnknownDatasetException extends IllegalArgumentException {
        UnknownDatasetException(String message) {
            super(message);
        }
    }

    /**
     * The request an order asks for, once its fields, its dataset and its base folder are all right.
     *
     * @throws UnknownDatasetException  when the dataset is not in the catalog (or its manifest not in the store)
     * @throws IllegalArgumentException with the field and what is wrong with it, for anything else
     */
    public FinetuneRequest resolve(FinetuneOrder order) {
        FinetuneRequest request = withoutBaseCheck(order);
        requireBase(request.baseCheckpoint());
        return request;
    }

    /** {@link #resolve} but for the base folder's content: for a caller that uploads that folder afterwards. */
    public FinetuneRequest withoutBaseCheck(FinetuneOrder order) {
        return order.toRequest(this::manifest);
    }

    /** The GPU worker needs config.json (and the weights and tokenizer beside it); its absence means a wrong folder. */
    public void requireBase(ObjectRef base) {
        if (!blobs.exists(base.child("config.json"))) {
            throw new IllegalArgumentException("baseCheckpoint " + base + " holds no config.json: give the folder with "
                    + "the base model's config.json, *.safetensors and tokenizer.json");
        }
    }

    /**
     * A dataset's manifest from its id, a unique prefix of at least {@code MIN_PREFIX} characters, or an {@code s3://}
     * manifest URI (experiments name their dataset the same way).
     *
     * @throws UnknownDatasetException when there is no such dataset
     */
    public ObjectRef manifest(String dataset) {
        if (ObjectRef.isObjectUri(dataset)) {
            ObjectRef ref = FinetuneOrder.objectRef("dataset", dataset);
            if (!blobs.exists(ref)) {
                throw new UnknownDatasetException("no dataset manifest at " + ref);
            }
            return ref;
        }
        DatasetRecord record = datasets.find(dataset).orElseGet(() -> byPrefix(dataset));
        return ObjectRef.parse(record.manifestUri());
    }

    private DatasetRecord byPrefix(String prefix) {
        List<DatasetRecord> matches = prefix.length() < MIN_PREFIX ? List.of() : datasets.withIdPrefix(prefix, 2);
        if (matches.size() > 1) {
            throw new IllegalArgumentException("dataset " + prefix + " is the start of several dataset ids; give more "
                    + "of the id");
        }
        if (matches.isEmpty()) {
            throw new UnknownDatasetException("no dataset " + prefix);
        }
        return matches.getFirst();
    }
}
