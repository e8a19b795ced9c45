package io.redisha.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SizesTest {

    @ParameterizedTest(name = "{0} = {1} bytes")
    @CsvSource(delimiter = '|', textBlock = """
        1073741824 | 1073741824
        0          | 0
        100b       | 100
        1k         | 1024
        1kb        | 1024
        1KiB       | 1024
        256m       | 268435456
        512M       | 536870912
        256 MB     | 268435456
        1g         | 1073741824
        1Gi        | 1073741824
        2t         | 2199023255552
        8388607t   | 9223370937343148032
        """)
    void readsBytesAndPowersOf1024(String text, long bytes) throws Exception {
        assertEquals(bytes, Sizes.parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "m", "1.5g", "-1m", "1 g b", "1mm", "1p", "0x10", "1e9", "256 megs", "1,000"})
    void refusesWhatIsNotASize(String text) {
        Sizes.SizeException e = assertThrows(Sizes.SizeException.class, () -> Sizes.parse(text));
        assertEquals(YamlDocument.quote(text) + " is not a size: write a number of bytes or a number with k, m or g"
                + " (powers of 1024), e.g. 256m or 1g", e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"8388609t", "9223372036854775808", "99999999999999999999g"})
    void refusesWhatDoesNotFitALong(String text) {
        assertEquals(YamlDocument.quote(text) + " is too large",
                assertThrows(Sizes.SizeException.class, () -> Sizes.parse(text)).getMessage());
    }

    @ParameterizedTest(name = "{0} bytes = {1}")
    @CsvSource(delimiter = '|', textBlock = """
        0          | 0 bytes
        1          | 1 byte
        1536       | 1536 bytes
        2048       | 2 KiB
        268435456  | 256 MiB
        1073741824 | 1 GiB
        805306368  | 768 MiB
        -1         | -1 bytes
        """)
    void formatsWithTheLargestExactUnit(long bytes, String text) {
        assertEquals(text, Sizes.format(bytes));
    }
}
