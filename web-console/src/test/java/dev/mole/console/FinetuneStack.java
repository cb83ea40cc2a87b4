package dev.mole.console;

import dev.mole.contracts.curation.DatasetSummary;
import java.nio.file.Path;

/**
 * What the finetune tests start from: the console on a real embedded platform, {@link FakeGpuWorker} on the GPU queue,
 * a dataset curated through the real workflow and a base folder in the object store.
 */
final class FinetuneStack implements AutoCloseable {
    final ConsoleStack stack;
    final FakeGpuWorker gpu;
    final Http http;
    final DatasetSummary dataset;
    final String base;

    private FinetuneStack(ConsoleStack stack, FakeGpuWorker gpu, DatasetSummary dataset, String base) {
        this.stack = stack;
        this.gpu = gpu;
        this.http = new Http(stack.console.url());
        this.dataset = dataset;
        this.base = base;
    }

    static FinetuneStack start(Path home, long rowSeed, int rows) throws Exception {
        ConsoleStack stack = ConsoleStack.start(home);
        FakeGpuWorker gpu = null;
        try {
            gpu = FakeGpuWorker.start(stack.local.platform().workflowClient());
            DatasetSummary dataset = stack.curatedDataset("finetune-rows-" + rowSeed + ".jsonl", rowSeed, rows);
            return new FinetuneStack(stack, gpu, dataset, stack.fakeBaseCheckpoint());
        } catch (Exception | Error e) {
            Closing.inOrder(gpu, stack);
            throw e;
        }
    }

    String url() {
        return stack.console.url();
    }

    @Override
    public void close() {
        Closing.inOrder(gpu, stack);
    }
}
