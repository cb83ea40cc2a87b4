package dev.mole.contracts.language;


/**
 * One fenced code block in one field.
 *
 * @param spanStart    first char after the fence tag (usually the newline): where per-token code labels begin
 * @param spanEnd      exclusive end of the closing fence (end of text when unterminated)
 * @param contentStart first char of the code itself (words here count as code words)
 * @param contentEnd   exclusive end of the code (the closing fence excluded)
 * @param tag          the tag as matched, lower-cased (the alias that was used)
 * @param terminated   false when the fence ran to the end of the text
 */
public record CodeBlock(int spanStart, int spanEnd, int contentStart, int contentEnd, Language language, String tag,
        boolean terminated) {}
