package dev.mole.orchestrator.curation;

/**
 * One input row.
 *
 * @param index     0-based position in the input (JSONL: among non-blank lines; Parquet: file order)
 * @param question  null when {@code rejection} is set
 * @param answer    null when {@code rejection} is set
 * @param rejection why the row cannot be read, or null when it is readable
 */
public record Row(long index, String question, String answer, DropReason rejection) {

    public static Row readable(long index, String question, String answer) {
        return new Row(index, question, answer, null);
    }

    public static Row rejected(long index, DropReason reason) {
        return new Row(index, null, null, reason);
    }
}
