package dev.mole.sandbox.internal.assembly;

/** The common shape: prompt, then the candidate that completes it, then the test block. */
final class SimpleConcatenation {
    private SimpleConcatenation() {}

    static String of(String prompt, String solution, String test) {
        return prompt + solution + "\n\n" + test + "\n";
    }
}
