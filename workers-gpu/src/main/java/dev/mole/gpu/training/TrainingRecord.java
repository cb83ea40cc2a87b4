package dev.mole.gpu.training;

import dev.mole.gpu.model.CuratedRecord;
import dev.mole.contracts.language.Language;

/** One record of the curated dataset: its id (input row), main language (the PerLang subset key) and content. */
public record TrainingRecord(long id, Language language, CuratedRecord record) {}
