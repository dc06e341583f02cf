package io.casewatch.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.apache.avro.Conversions;
import org.apache.avro.data.TimeConversions;
import org.apache.avro.generic.GenericData;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.util.RandomData;
import org.junit.jupiter.api.Test;

import io.casewatch.schema.internal.CaseData;
import io.casewatch.schema.internal.MerchantFact;
import io.casewatch.schema.serde.AvroSerde;

/**
 * casewatch encodes through its own buffer, not Avro's {@link BinaryMessageEncoder}: the bytes must be the very same
 * (stored state, changelogs and topics written before the change are read with them, and replay output is compared
 * byte for byte), for every type, on random values of their whole schemas (nested records, unions, arrays, maps).
 */
class SingleObjectBytesTest {

    private static final List<Class<? extends SpecificRecord>> TYPES = List.of(ComplaintEvent.class, ContactEvent.class, EscalationAck.class,
            Alert.class, CaseStatus.class, MerchantStats.class, ComplianceRecord.class, CaseData.class, MerchantFact.class);

    @Test
    void encodesEveryTypeExactlyAsAvrosSingleObjectEncoder() throws Exception {
        int compared = 0;
        for (Class<? extends SpecificRecord> type : TYPES) {
            compared += compare(type);
        }
        assertThat(compared).isEqualTo(TYPES.size() * 200);
    }

    private static <T extends SpecificRecord> int compare(Class<T> type) throws Exception {
        AvroSerde<T> serde = new AvroSerde<>(type);
        BinaryMessageEncoder<T> avro = new BinaryMessageEncoder<>(SpecificData.get(), serde.schema());
        // The generated class's own model: its logical-type conversions, and the generated coders left off.
        SpecificData withoutGeneratedCoders = SpecificData.getForClass(type);
        assertThat(withoutGeneratedCoders.useCustomCoders()).isFalse();
        BinaryMessageEncoder<T> walking = new BinaryMessageEncoder<>(withoutGeneratedCoders, serde.schema());
        int n = 0;
        GenericData model = new GenericData();
        model.addLogicalTypeConversion(new TimeConversions.TimestampMillisConversion());
        model.addLogicalTypeConversion(new TimeConversions.TimestampMicrosConversion());
        model.addLogicalTypeConversion(new TimeConversions.DateConversion());
        model.addLogicalTypeConversion(new Conversions.DecimalConversion());
        model.addLogicalTypeConversion(new Conversions.UUIDConversion());
        for (Object generic : new RandomData(model, serde.schema(), 200, 7L)) {
            // Random generic values, turned into the generated class by a binary round trip.
            byte[] genericBytes = new BinaryMessageEncoder<Object>(model, serde.schema()).encode(generic).array();
            T value = serde.fromBytes(genericBytes);
            byte[] mine = serde.toBytes(value);
            assertThat(mine).as("%s #%d", type.getSimpleName(), n).isEqualTo(avro.encode(value).array());
            // And as the schema-walking writer writes them: the generated coders the serde turns on
            // (SpecificData.setCustomCoders) must not change a byte.
            assertThat(mine).as("%s #%d against the schema-walking writer", type.getSimpleName(), n).isEqualTo(walking.encode(value).array());
            // (Not compared with equals: generated equals cannot compare arrays of unions with timestamps.)
            assertThat(serde.toBytes(serde.fromBytes(mine))).as("%s #%d read back", type.getSimpleName(), n).isEqualTo(mine);
            n++;
        }
        return n;
    }
}
