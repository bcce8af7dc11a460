package dev.tokenreduce.core.safetensors;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Turns the header bytes into {@link TensorInfo}s and metadata. It streams the JSON instead of building a tree so
 * that a hostile 100 MB header costs little more than its entries, and checks each value as it goes.
 */
final class HeaderParser {

    /** More dimensions than any real tensor has; bounds the memory one shape array can take. */
    static final int MAX_RANK = 64;

    static final String METADATA_KEY = "__metadata__";

    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private HeaderParser() {}

    static SafetensorsHeader parse(Path file, byte[] json, long dataStart, long dataLength) {
        checkUtf8(file, json);
        Map<String, TensorInfo> tensors = new LinkedHashMap<>();
        Map<String, String> metadata = Map.of();
        try (JsonParser p = JSON.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new SafetensorsException(file, "header is not a JSON object (it starts with "
                        + p.currentToken() + ")");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                if (METADATA_KEY.equals(name)) {
                    metadata = parseMetadata(file, p);
                } else {
                    tensors.put(name, parseEntry(file, name, p));
                }
            }
            if (p.nextToken() != null) {
                throw new SafetensorsException(file, "header has data after the JSON object, at header byte "
                        + p.currentLocation().getByteOffset());
            }
        } catch (JsonProcessingException e) {
            // Limit violations (nesting depth, number length) carry no location.
            String where = e.getLocation() == null ? "" : " (at header byte " + e.getLocation().getByteOffset() + ")";
            throw new SafetensorsException(file, "header is not well-formed JSON: " + e.getOriginalMessage() + where, e);
        } catch (IOException e) {
            throw new SafetensorsException(file, "cannot parse header: " + e.getMessage(), e);
        }
        LayoutValidator.validate(file, tensors.values(), dataLength);
        return new SafetensorsHeader(Collections.unmodifiableMap(tensors), Collections.unmodifiableMap(metadata),
                dataStart, dataLength);
    }

    private static void checkUtf8(Path file, byte[] json) {
        // Decode in small steps to find the first bad byte without materialising a 100 MB string.
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(json);
        CharBuffer out = CharBuffer.allocate(8192);
        while (true) {
            CoderResult r = decoder.decode(in, out, true);
            if (r.isError()) {
                throw new SafetensorsException(file, "header is not valid UTF-8 (bad byte sequence at header byte "
                        + in.position() + ")");
            }
            out.clear();
            if (r.isUnderflow()) {
                break;
            }
        }
        try {
            decoder.flush(out);
        } catch (IllegalStateException e) {
            throw new SafetensorsException(file, "header is not valid UTF-8", e);
        }
    }

    private static Map<String, String> parseMetadata(Path file, JsonParser p) throws IOException {
        if (p.currentToken() == JsonToken.VALUE_NULL) {
            return Map.of();
        }
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw new SafetensorsException(file, METADATA_KEY + " must be an object of strings, found "
                    + p.currentToken());
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            if (p.nextToken() != JsonToken.VALUE_STRING) {
                throw new SafetensorsException(file, METADATA_KEY + " value for key '" + key
                        + "' must be a string, found " + p.currentToken());
            }
            metadata.put(key, p.getText());
        }
        return metadata;
    }

    private static TensorInfo parseEntry(Path file, String name, JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw new SafetensorsException(file, "entry for tensor '" + name + "' must be a JSON object, found "
                    + p.currentToken());
        }
        String dtypeName = null;
        long[] shape = null;
        long[] offsets = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            switch (field) {
                case "dtype" -> {
                    if (value != JsonToken.VALUE_STRING) {
                        throw new SafetensorsException(file, "dtype of tensor '" + name
                                + "' must be a string, found " + value);
                    }
                    dtypeName = p.getText();
                }
                case "shape" -> shape = parseNonNegativeLongs(file, p, "shape of tensor '" + name + "'", MAX_RANK);
                case "data_offsets" -> offsets = parseNonNegativeLongs(file, p,
                        "data_offsets of tensor '" + name + "'", 2);
                default -> p.skipChildren(); // unknown fields are ignored, as the reference reader does
            }
        }
        if (dtypeName == null) {
            throw new SafetensorsException(file, "tensor '" + name + "' has no dtype");
        }
        if (shape == null) {
            throw new SafetensorsException(file, "tensor '" + name + "' has no shape");
        }
        if (offsets == null) {
            throw new SafetensorsException(file, "tensor '" + name + "' has no data_offsets");
        }
        String dtypeText = dtypeName;
        SafetensorsDType dtype = SafetensorsDType.fromHeaderName(dtypeName)
                .orElseThrow(() -> new SafetensorsException(file, "tensor '" + name + "' has unsupported dtype '"
                        + dtypeText + "' (supported: " + SafetensorsDType.supportedNames() + ")"));
        if (offsets.length != 2) {
            throw new SafetensorsException(file, "data_offsets of tensor '" + name
                    + "' must be [begin, end], found " + offsets.length + " number(s)");
        }
        if (offsets[0] > offsets[1]) {
            throw new SafetensorsException(file, "data_offsets of tensor '" + name + "' are reversed: "
                    + Arrays.toString(offsets) + " (begin > end)");
        }
        return new TensorInfo(name, dtype, shape, offsets[0], offsets[1]);
    }

    private static long[] parseNonNegativeLongs(Path file, JsonParser p, String what, int maxCount)
            throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw new SafetensorsException(file, what + " must be an array of integers, found " + p.currentToken());
        }
        long[] values = new long[Math.min(maxCount, 8)];
        int n = 0;
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (n == maxCount) {
                throw new SafetensorsException(file, what + " has more than " + maxCount + " entries");
            }
            if (t != JsonToken.VALUE_NUMBER_INT) {
                throw new SafetensorsException(file, what + " must contain only integers, found "
                        + (t == JsonToken.VALUE_NUMBER_FLOAT ? p.getText() : t));
            }
            if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                throw new SafetensorsException(file, what + " contains " + p.getText()
                        + ", larger than a 64-bit integer");
            }
            long v = p.getLongValue();
            if (v < 0) {
                throw new SafetensorsException(file, what + " contains the negative number " + v);
            }
            if (n == values.length) {
                values = Arrays.copyOf(values, Math.min(maxCount, n * 2));
            }
            values[n++] = v;
        }
        return Arrays.copyOf(values, n);
    }
}
