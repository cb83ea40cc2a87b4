package dev.mole.console.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.mole.contracts.storage.BlobStore;
import dev.mole.contracts.storage.ObjectRef;
import dev.mole.orchestrator.datasets.DatasetCatalog;
import dev.mole.orchestrator.datasets.DatasetRecord;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Finished datasets: their records and statistics from the catalog, their manifests from the object store. */
@RestController
@RequestMapping(path = "/api/datasets", produces = MediaType.APPLICATION_JSON_VALUE)
public class DatasetController {
    private final DatasetCatalog catalog;
    private final BlobStore blobs;
    private final ObjectMapper json;

    public DatasetController(DatasetCatalog catalog, BlobStore blobs, ObjectMapper json) {
        this.catalog = catalog;
        this.blobs = blobs;
        this.json = json;
    }

    @GetMapping
    public List<DatasetView> all() {
        return catalog.list().stream().map(this::view).toList();
    }

    @GetMapping("/{datasetId}")
    public DatasetView one(@PathVariable String datasetId) {
        return view(record(datasetId));
    }

    /** The manifest exactly as stored (shards with their sha256, statistics), so a client can check it byte for byte. */
    @GetMapping("/{datasetId}/manifest")
    public ResponseEntity<byte[]> manifest(@PathVariable String datasetId) {
        ObjectRef ref = ObjectRef.parse(record(datasetId).manifestUri());
        if (!blobs.exists(ref)) {
            throw ApiException.notFound("dataset " + datasetId + " is recorded but its manifest " + ref
                    + " is missing from the object store");
        }
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(blobs.read(ref));
    }

    private DatasetRecord record(String datasetId) {
        return catalog.find(datasetId).orElseThrow(() -> ApiException.notFound("no dataset " + datasetId));
    }

    private DatasetView view(DatasetRecord r) {
        return new DatasetView(r.datasetId(), r.name(), r.inputUri(), r.inputSha256(), r.inputBytes(), r.manifestUri(),
                r.inputRows(), r.keptRows(), r.trainRows(), r.validationRows(), r.droppedRows(), r.createdAt(),
                parse(r.configJson()), parse(r.statisticsJson()));
    }

    private JsonNode parse(String text) {
        if (text == null) {
            return NullNode.instance;
        }
        try {
            return json.readTree(text);
        } catch (JsonProcessingException e) {
            // The catalog's jsonb columns always hold valid JSON; reaching this means the database was edited by hand.
            throw new IllegalStateException("catalog holds invalid JSON: " + e.getOriginalMessage(), e);
        }
    }
}
