package dev.mole.deploy;

import dev.mole.orchestrator.finetune.FinetuneOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code ./mole finetune --dataset ID --base s3://bucket/prefix|DIR [--name N] [--method M] [--variant V] [--init I]
 * [--seeds 1,2,3] [--epochs N] [--batch N] [--lr X] [--max-steps N] [--max-length N] [--precision fp32|fp16]}. Only the flags' syntax is checked
 * here; what the values mean is checked by {@link FinetuneOrder}, the same check the console's API makes.
 *
 * @param localBase a base model folder on this machine, to upload before starting (empty for an s3:// base)
 */
record FinetuneArgs(FinetuneOrder order, Optional<Path> localBase) {
    static final String USAGE = "./mole finetune --dataset ID --base s3://bucket/prefix|DIR [--name N] "
            + "[--method MOLE|ALL_LANG|PER_LANG|FULL_FT|NO_FT|MULTIPL_MOE] [--variant 48+16|64] [--init shared_first|shared_last|std|"
            + "nl_expert] [--seeds 1,2,3] [--epochs N] [--batch N] [--lr X] [--max-steps N] [--max-length N] [--precision fp32|fp16]";

    static FinetuneArgs parse(List<String> args) {
        String dataset = null;
        String base = null;
        String name = null;
        String method = null;
        String variant = null;
        String init = null;
        List<Long> seeds = null;
        Integer epochs = null;
        Integer batch = null;
        Double lr = null;
        Integer maxSteps = null;
        Integer maxLength = null;
        String precision = null;
        for (int i = 0; i < args.size(); i++) {
            String flag = args.get(i);
            switch (flag) {
                case "--dataset" -> dataset = Flags.value(args, ++i, flag);
                case "--base" -> base = Flags.value(args, ++i, flag);
                case "--name" -> name = Flags.value(args, ++i, flag);
                case "--method" -> method = Flags.value(args, ++i, flag);
                case "--variant" -> variant = Flags.value(args, ++i, flag);
                case "--init" -> init = Flags.value(args, ++i, flag);
                case "--seeds" -> seeds = seeds(Flags.value(args, ++i, flag));
                case "--epochs" -> epochs = Flags.whole(Flags.value(args, ++i, flag), flag);
                case "--batch" -> batch = Flags.whole(Flags.value(args, ++i, flag), flag);
                case "--lr" -> lr = Flags.number(Flags.value(args, ++i, flag), flag);
                case "--max-steps" -> maxSteps = Flags.whole(Flags.value(args, ++i, flag), flag);
                case "--max-length" -> maxLength = Flags.whole(Flags.value(args, ++i, flag), flag);
                case "--precision" -> precision = Flags.value(args, ++i, flag);
                default -> throw new MoleLauncher.UsageException("unexpected argument '" + flag + "'. Usage: " + USAGE);
            }
        }
        if (dataset == null) {
            throw new MoleLauncher.UsageException("finetune needs --dataset: a dataset id (as ./mole curate printed it) or "
                    + "the s3:// URI of a dataset manifest");
        }
        if (base == null) {
            throw new MoleLauncher.UsageException("finetune needs --base: the base model's s3://bucket/prefix folder, or a "
                    + "local folder with its config.json, *.safetensors and tokenizer.json to upload");
        }
        Optional<Path> localBase = Optional.empty();
        if (!base.startsWith("s3://")) {
            Path dir = Path.of(base).toAbsolutePath().normalize();
            if (!Files.isDirectory(dir)) {
                throw new MoleLauncher.UsageException("--base " + base + " is neither an s3:// folder nor a local folder");
            }
            localBase = Optional.of(dir);
            base = null; // known once uploaded
        }
        return new FinetuneArgs(new FinetuneOrder(name, dataset, base, method, variant, init, seeds, lr, batch, epochs,
                maxLength, maxSteps, null, null, null, precision), localBase);
    }

    private static List<Long> seeds(String list) {
        List<Long> out = new ArrayList<>();
        for (String part : list.split(",")) {
            try {
                out.add(Long.parseLong(part.trim()));
            } catch (NumberFormatException e) {
                throw new MoleLauncher.UsageException("--seeds needs whole numbers separated by commas, such as 1,2,3; "
                        + "got '" + list + "'");
            }
        }
        return out;
    }
}
