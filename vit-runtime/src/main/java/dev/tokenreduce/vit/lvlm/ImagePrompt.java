package dev.tokenreduce.vit.lvlm;

import dev.tokenreduce.core.InvalidInputException;
import java.util.Arrays;

/**
 * Where the image goes in a prompt: token ids with either one image placeholder (expanded to every image feature)
 * or the placeholder already repeated once per feature in one contiguous run. The merged sequence is
 * {@code [prefix ids, image features, suffix ids]}.
 *
 * @param prefix token ids before the image
 * @param suffix token ids after the image
 * @param imageTokens image features taking the placeholder's place
 */
record ImagePrompt(long[] prefix, long[] suffix, int imageTokens) {

    /**
     * Splits {@code ids} at the image placeholder.
     *
     * @param imageToken the placeholder id
     * @param features image features of the one image
     * @param vocab vocabulary size (ids must be in [0, vocab))
     * @throws InvalidInputException for no placeholder, several separate ones, a run of the wrong length, or ids
     *     outside the vocabulary
     */
    static ImagePrompt split(long[] ids, long imageToken, int features, int vocab) {
        if (ids == null || ids.length == 0) {
            throw new InvalidInputException("llava: the prompt has no token ids");
        }
        int first = -1;
        int count = 0;
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] < 0 || ids[i] >= vocab) {
                throw new InvalidInputException("llava: input id " + ids[i] + " at position " + i
                        + " is outside the vocabulary [0, " + vocab + ")");
            }
            if (ids[i] == imageToken) {
                first = first < 0 ? i : first;
                count++;
            }
        }
        if (count == 0) {
            throw new InvalidInputException("llava: the prompt has no image placeholder (id " + imageToken
                    + "); put it where the image goes");
        }
        if (count != 1) {
            boolean contiguous = true;
            for (int i = first; i < first + count && contiguous; i++) {
                contiguous = i < ids.length && ids[i] == imageToken;
            }
            if (count != features || !contiguous) {
                throw new InvalidInputException("llava: the prompt has " + count + " image placeholders (id "
                        + imageToken + ") for one image; expected one, or one contiguous run of " + features
                        + " (one per image feature)");
            }
        }
        long[] prefix = Arrays.copyOfRange(ids, 0, first);
        long[] suffix = Arrays.copyOfRange(ids, first + count, ids.length);
        return new ImagePrompt(prefix, suffix, features);
    }

    /** Length of the merged sequence. */
    int length() {
        return prefix.length + imageTokens + suffix.length;
    }
}
