package dev.mole.orchestrator.curation;

import com.fasterxml.jackson.core.JsonFactory;
import dev.mole.contracts.curation.CurationRequest;
import dev.mole.orchestrator.curation.internal.Classification;
import dev.mole.contracts.language.Language;
import dev.mole.orchestrator.curation.internal.PrefetchingRowSource;
import dev.mole.orchestrator.curation.internal.SampleClassifier;
import dev.mole.orchestrator.curation.internal.ShardWriter;
import dev.mole.orchestrator.curation.internal.SplitDecider;
import dev.mole.orchestrator.curation.internal.SplitHasher;
import dev.mole.orchestrator.curation.internal.StatisticsAccumulator;
import dev.mole.orchestrator.curation.internal.StratifiedSplitter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The dataset-curation engine (docs/mole-protocol.md section 3), in two streaming passes over the same input:
 * <ol>
 *   <li>{@link #plan}: classifies every row, keeps one 64-bit split hash per kept row, and fixes the per-language
 *       validation cuts and the full statistics;
 *   <li>{@link #write}: classifies again, applies the cuts, and writes gzip JSONL shards in input order.
 * </ol>
 * One thread reads and parses ahead ({@code PrefetchingRowSource}); everything else runs on the caller's thread in
 * input order, so the output depends only on the input and the request, never on timing, and a resumed write pass
 * produces the same bytes. An engine keeps no state between calls; run one pass at a time per engine.
 */
public final class CurationEngine {

    /** Changes whenever the output for the same input and request could change; part of the dataset id. */
    public static final String VERSION = "mole-curation-1";

    static final int DEFAULT_RECORDS_PER_SHARD = 20_000;
    static final int PROGRESS_EVERY_ROWS = 16_384;
    static final String TRAIN = "train";
    static final String VALIDATION = "validation";

    private static final JsonFactory JSON = new JsonFactory();

    private final CurationRequest request;
    private final int recordsPerShard;
    private final Path tempDir;

    public CurationEngine(CurationRequest request) {
        this(request, DEFAULT_RECORDS_PER_SHARD, null);
    }

    /** @param tempDir where shards are written before the sink takes them (null: the JVM's temp directory) */
    public CurationEngine(CurationRequest request, Path tempDir) {
        this(request, DEFAULT_RECORDS_PER_SHARD, tempDir);
    }

    CurationEngine(CurationRequest request, int recordsPerShard, Path tempDir) {
        this.request = Objects.requireNonNull(request, "request");
        if (recordsPerShard < 1) {
            throw new IllegalArgumentException("recordsPerShard must be positive");
        }
        this.recordsPerShard = recordsPerShard;
        this.tempDir = tempDir;
    }

    /** Pass 1. The result is small (a few KB as JSON, whatever the input size). */
    public SplitPlan plan(RowSource source, CurationProgress progress) throws IOException {
        progress = progress == null ? CurationProgress.none() : progress;
        SampleClassifier classifier = new SampleClassifier(request.fenceMode());
        StatisticsAccumulator stats = new StatisticsAccumulator();
        StratifiedSplitter splitter = new StratifiedSplitter();
        long rows;
        try (PrefetchingRowSource prefetched = new PrefetchingRowSource(source)) {
            rows = planRows(prefetched, classifier, stats, splitter, progress);
        }
        if (rows == 0) {
            throw new CurationInputException("The input " + request.inputUri() + " has no rows (it is empty or only "
                    + "blank lines)");
        }
        List<SplitPlan.LanguageCut> cuts = splitter.cuts(request.validationShare());
        return new SplitPlan(VERSION, request.fenceMode(), request.questionField(), request.answerField(),
                request.validationShare(), request.seed(), rows, stats.keptRows(), cuts,
                stats.build(request.fenceMode(), cuts));
    }

    private long planRows(RowSource source, SampleClassifier classifier, StatisticsAccumulator stats,
            StratifiedSplitter splitter, CurationProgress progress) throws IOException {
        long rows = 0;
        Row row;
        while ((row = source.next()) != null) {
            rows++;
            stats.rowRead();
            if (row.rejection() != null) {
                stats.dropped(row.rejection());
            } else {
                Classification c = classifier.classify(row.question(), row.answer());
                stats.classified(c);
                if (c.kept()) {
                    splitter.add(c.mainLanguage(),
                            SplitHasher.hash(request.seed(), row.index(), row.question(), row.answer()));
                }
            }
            if (rows % PROGRESS_EVERY_ROWS == 0) {
                progress.rowsRead("plan", rows, source.bytesRead());
            }
        }
        progress.rowsRead("plan", rows, source.bytesRead());
        return rows;
    }

    /**
     * Pass 2. Writes shards through the sink. When {@code resume} is not null, rows before {@code resume.nextRow()} are
     * skipped and the shards it lists are kept, so the shards and statistics equal those of an uninterrupted run.
     *
     * @throws IllegalArgumentException when the plan was made for another request or engine version
     * @throws IllegalStateException    when the input does not match the plan (it changed between the passes)
     */
    public CurationOutput write(RowSource source, SplitPlan plan, ShardSink sink, WriteCheckpoint resume,
            CurationProgress progress) throws IOException {
        checkPlan(plan);
        progress = progress == null ? CurationProgress.none() : progress;
        WriteRun run = new WriteRun(plan, sink, resume, progress);
        try (PrefetchingRowSource prefetched = new PrefetchingRowSource(source)) {
            run.run(prefetched);
        } finally {
            run.discardOpenShards();
        }
        return new CurationOutput(run.shards, plan.statistics());
    }

    private void checkPlan(SplitPlan plan) {
        Objects.requireNonNull(plan, "plan");
        if (!VERSION.equals(plan.engineVersion())) {
            throw new IllegalArgumentException("plan made by engine " + plan.engineVersion() + ", this is " + VERSION);
        }
        if (plan.fenceMode() != request.fenceMode() || !plan.questionField().equals(request.questionField())
                || !plan.answerField().equals(request.answerField())
                || Double.compare(plan.validationShare(), request.validationShare()) != 0
                || plan.seed() != request.seed()) {
            throw new IllegalArgumentException("the plan was made for a different request");
        }
    }

    /** One split's shard sequence during the write pass. */
    private final class SplitOutput {
        final String split;
        final long resumeRow;
        int nextShard;
        ShardWriter writer;
        Path tempFile;
        long openFirstRow;
        long[] openTies;

        SplitOutput(String split, long resumeRow, int nextShard) {
            this.split = split;
            this.resumeRow = resumeRow;
            this.nextShard = nextShard;
        }

        void write(long rowIndex, String q, String a, Classification c, long[] tiesBeforeRow) throws IOException {
            if (writer == null) {
                tempFile = tempDir == null ? Files.createTempFile("mole-shard-", ".jsonl.gz")
                        : Files.createTempFile(tempDir, "mole-shard-", ".jsonl.gz");
                writer = new ShardWriter(tempFile, JSON);
                openFirstRow = rowIndex;
                openTies = tiesBeforeRow;
            }
            writer.write(rowIndex, q, a, c.mainLanguage(), c.questionBlocks(), c.answerBlocks());
        }

        void discard() {
            if (writer != null) {
                try {
                    writer.close();
                } catch (IOException ignored) {
                    // the file is deleted next
                }
                deleteQuietly(tempFile);
                writer = null;
            }
        }
    }

    private final class WriteRun {
        final SplitPlan plan;
        final ShardSink sink;
        final CurationProgress progress;
        final List<ShardInfo> shards = new ArrayList<>();
        final long startRow;
        final SplitDecider decider;
        final SplitOutput train;
        final SplitOutput validation;

        WriteRun(SplitPlan plan, ShardSink sink, WriteCheckpoint resume, CurationProgress progress) {
            this.plan = plan;
            this.sink = Objects.requireNonNull(sink, "sink");
            this.progress = progress;
            if (resume != null) {
                shards.addAll(resume.shards());
            }
            this.startRow = resume == null ? 0 : resume.nextRow();
            this.decider = new SplitDecider(plan.cuts(), resume == null ? null : resume.validationTiesTaken());
            this.train = new SplitOutput(TRAIN, resume == null ? 0 : resume.trainResumeRow(), count(TRAIN));
            this.validation = new SplitOutput(VALIDATION, resume == null ? 0 : resume.validationResumeRow(),
                    count(VALIDATION));
        }

        private int count(String split) {
            return (int) shards.stream().filter(s -> s.split().equals(split)).count();
        }

        void run(RowSource source) throws IOException {
            SampleClassifier classifier = new SampleClassifier(request.fenceMode());
            long rows = 0;
            long nextRow = 0;
            Row row;
            while ((row = source.next()) != null) {
                rows++;
                nextRow = row.index() + 1;
                if (rows % PROGRESS_EVERY_ROWS == 0) {
                    progress.rowsRead("write", rows, source.bytesRead());
                }
                if (row.index() < startRow || row.rejection() != null) {
                    continue;
                }
                Classification c = classifier.classify(row.question(), row.answer());
                if (!c.kept()) {
                    continue;
                }
                long hash = SplitHasher.hash(plan.seed(), row.index(), row.question(), row.answer());
                long[] tiesBefore = null;
                SplitOutput out;
                if (decider.isValidation(c.mainLanguage(), hash)) {
                    out = validation;
                    if (validation.writer == null) {
                        tiesBefore = decider.tiesTakenSnapshot();
                        if (hash == cutOf(c.mainLanguage()).thresholdHash()) {
                            tiesBefore[c.mainLanguage().ordinal()]--; // this row took a tie slot; undo it
                        }
                    }
                } else {
                    out = train;
                    if (train.writer == null) {
                        tiesBefore = decider.tiesTakenSnapshot();
                    }
                }
                if (row.index() < out.resumeRow) {
                    continue; // already in one of the resumed run's finished shards
                }
                out.write(row.index(), row.question(), row.answer(), c, tiesBefore);
                if (out.writer.rows() >= recordsPerShard) {
                    finish(out, nextRow);
                }
            }
            progress.rowsRead("write", rows, source.bytesRead());
            if (train.writer != null) {
                finish(train, nextRow);
            }
            if (validation.writer != null) {
                finish(validation, nextRow);
            }
            verify(rows);
        }

        private SplitPlan.LanguageCut cutOf(Language l) {
            for (SplitPlan.LanguageCut cut : plan.cuts()) {
                if (cut.language().equals(l.id())) {
                    return cut;
                }
            }
            throw new IllegalStateException("no cut for " + l.id());
        }

        private void finish(SplitOutput out, long nextRow) throws IOException {
            ShardWriter.Finished f = out.writer.finish();
            out.writer = null;
            String name = String.format("%s-%05d.jsonl.gz", out.split, out.nextShard++);
            ShardFile file = new ShardFile(name, out.split, f.file(), f.rows(), f.bytes(), f.sha256());
            try {
                sink.accept(file);
            } finally {
                deleteQuietly(f.file());
            }
            shards.add(file.info());
            progress.shardWritten(checkpoint(nextRow));
        }

        /** See {@link WriteCheckpoint}: resume from the first row of the earliest still-open shard. */
        private WriteCheckpoint checkpoint(long nextRow) {
            long[] tiesNow = decider.tiesTakenSnapshot();
            long trainStart = train.writer != null ? train.openFirstRow : nextRow;
            long validationStart = validation.writer != null ? validation.openFirstRow : nextRow;
            long[] ties;
            if (trainStart <= validationStart) {
                ties = train.writer != null ? train.openTies : tiesNow;
            } else {
                ties = validation.openTies;
            }
            return new WriteCheckpoint(Math.min(trainStart, validationStart), shards, trainStart, validationStart,
                    SplitDecider.asMap(ties));
        }

        private void verify(long rows) {
            long trainRows = 0;
            long validationRows = 0;
            for (ShardInfo s : shards) {
                if (s.split().equals(TRAIN)) {
                    trainRows += s.rows();
                } else {
                    validationRows += s.rows();
                }
            }
            CurationStatistics st = plan.statistics();
            if (rows != plan.inputRows() || trainRows != st.trainRows() || validationRows != st.validationRows()) {
                throw new IllegalStateException("The input changed between the plan and the write pass: planned "
                        + plan.inputRows() + " rows (" + st.trainRows() + " train, " + st.validationRows()
                        + " validation), read " + rows + " rows (" + trainRows + " train, " + validationRows
                        + " validation)");
            }
        }

        void discardOpenShards() {
            train.discard();
            validation.discard();
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // a leftover temp file is harmless
        }
    }
}
