package dev.mole.gpu.model;

/**
 * Decides from the text generated so far whether a response is complete (e.g. a function body ended), so generation can
 * stop before the token limit. Consulted only when the text has grown, so it must depend on the text alone.
 */
@FunctionalInterface
public interface StopRule {

    /** Never stops early. */
    StopRule NEVER = text -> -1;

    /**
     * @param generatedText the text generated so far (the response prefix in the prompt not included)
     * @return -1 to go on, or the char index (0..length) at which the text is complete
     */
    int cut(String generatedText);
}
