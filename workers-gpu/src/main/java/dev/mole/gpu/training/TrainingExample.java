package dev.mole.gpu.training;

import dev.mole.contracts.language.Language;
import dev.mole.gpu.model.TokenizedSample;

/** A tokenised record ready for the loop: its language (validation key, PerLang subset) and the model inputs. */
public record TrainingExample(long id, Language language, TokenizedSample sample) {

    /** Tokens whose next-token prediction is trained: answer tokens and eos (the loss mask shifted by one). */
    public int lossTokens() {
        int n = 0;
        boolean[] m = sample.lossMask();
        for (int i = 1; i < m.length; i++) if (m[i]) n++;
        return n;
    }
}
