package io.panavec.spark;

import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.util.List;

/** Reads the id and vector columns of a row: id long (or int), vector array&lt;float|double&gt; or a Spark ML vector. */
final class RowVectors {
    private RowVectors() {}

    /** Checks the column types on the driver, so a wrong schema fails before any task runs. */
    static void check(StructType schema, String idColumn, String vectorColumn) {
        DataType id = schema.apply(schema.fieldIndex(idColumn)).dataType();
        if (!id.equals(DataTypes.LongType) && !id.equals(DataTypes.IntegerType)) {
            throw new IllegalArgumentException("column " + idColumn + " must be long (or int), is " + id.simpleString());
        }
        DataType v = schema.apply(schema.fieldIndex(vectorColumn)).dataType();
        boolean ok = v.equals(SQLDataTypes.VectorType())
                || (v instanceof ArrayType a && (a.elementType().equals(DataTypes.FloatType) || a.elementType().equals(DataTypes.DoubleType)));
        if (!ok) {
            throw new IllegalArgumentException("column " + vectorColumn + " must be array<float>, array<double> or a Spark ML vector, is "
                    + v.simpleString());
        }
    }

    static long id(Row row, int column) {
        Object o = row.get(column);
        if (o == null) {
            throw new IllegalArgumentException("a row has a null id");
        }
        return ((Number) o).longValue();
    }

    static float[] vector(Row row, int column) {
        Object o = row.get(column);
        if (o == null) {
            throw new IllegalArgumentException("a row has a null vector");
        }
        if (o instanceof Vector v) {
            double[] d = v.toArray();
            float[] f = new float[d.length];
            for (int i = 0; i < d.length; i++) f[i] = (float) d[i];
            return f;
        }
        List<Object> list = row.getList(column);
        float[] f = new float[list.size()];
        for (int i = 0; i < f.length; i++) {
            Object x = list.get(i);
            if (x == null) {
                throw new IllegalArgumentException("a vector holds a null element at " + i);
            }
            f[i] = ((Number) x).floatValue();
        }
        return f;
    }
}
