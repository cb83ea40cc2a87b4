package dev.mole.deploy;

import dev.mole.contracts.curation.CurationRequest;
import dev.mole.contracts.curation.FenceMode;
import java.util.List;

/** {@code ./mole curate INPUT [--format F] [--question-field Q] [--answer-field A] [--strict] [--validation-share X] [--seed N] [--name N]} */
record CurationArgs(CurationRequest request) {
    static CurationArgs parse(List<String> args) {
        String input = null;
        String format = "auto";
        String q = "question";
        String a = "answer";
        FenceMode mode = FenceMode.NORMALIZED;
        double share = CurationRequest.PAPER_VALIDATION_SHARE;
        long seed = CurationRequest.DEFAULT_SEED;
        String name = null;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            switch (arg) {
                case "--format" -> format = Flags.value(args, ++i, arg);
                case "--question-field" -> q = Flags.value(args, ++i, arg);
                case "--answer-field" -> a = Flags.value(args, ++i, arg);
                case "--strict" -> mode = FenceMode.STRICT;
                case "--validation-share" -> share = Flags.number(Flags.value(args, ++i, arg), arg);
                case "--seed" -> seed = (long) Flags.number(Flags.value(args, ++i, arg), arg);
                case "--name" -> name = Flags.value(args, ++i, arg);
                default -> {
                    if (arg.startsWith("--") || input != null) {
                        throw new MoleLauncher.UsageException("unexpected argument '" + arg + "'. Usage: ./mole curate "
                                + "INPUT [--format jsonl|parquet|auto] [--question-field Q] [--answer-field A] [--strict] "
                                + "[--validation-share 0.05] [--seed 42] [--name NAME]");
                    }
                    input = arg;
                }
            }
        }
        if (input == null) {
            throw new MoleLauncher.UsageException("curate needs an input: a local .jsonl/.parquet path or an s3://bucket/key URI");
        }
        String uri = input.startsWith("s3://") ? input : java.nio.file.Path.of(input).toAbsolutePath().toString();
        return new CurationArgs(new CurationRequest(name, uri, format, q, a, mode, share, seed));
    }
}
