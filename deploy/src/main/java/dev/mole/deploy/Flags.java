package dev.mole.deploy;

import java.util.List;

/** Values of command-line flags, each refused with a sentence naming the flag. */
final class Flags {
    private Flags() {}

    /** The value after {@code flag} at {@code i}; another flag there means the value was left out. */
    static String value(List<String> args, int i, String flag) {
        if (i >= args.size() || args.get(i).startsWith("--")) {
            throw new MoleLauncher.UsageException(flag + " needs a value");
        }
        return args.get(i);
    }

    static double number(String v, String flag) {
        try {
            return Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            throw new MoleLauncher.UsageException(flag + " needs a number, got '" + v + "'");
        }
    }

    static int whole(String v, String flag) {
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new MoleLauncher.UsageException(flag + " needs a whole number, got '" + v + "'");
        }
    }
}
