package dev.mole.contracts.curation;

/** How code fences and their language tags are read (docs/mole-protocol.md section 3). */
public enum FenceMode {
    /** Aliases normalised (py, c++, golang, ...), CommonMark fence rules. The default. */
    NORMALIZED,
    /** The reference implementation's exact rule, bugs included (c++ and c# read as c). */
    STRICT
}
