package io.panavec.spark;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;

/** The driver's Hadoop configuration as a serializable map, so tasks reach the same file systems. */
record HadoopConf(Map<String, String> entries) implements Serializable {
    static HadoopConf of(Configuration conf) {
        Map<String, String> m = new HashMap<>();
        conf.forEach(e -> m.put(e.getKey(), e.getValue()));
        return new HadoopConf(m);
    }

    Configuration configuration() {
        Configuration c = new Configuration(false);
        entries.forEach(c::set);
        return c;
    }

    FileSystem fileSystem(Path p) throws IOException {
        return p.getFileSystem(configuration());
    }
}
