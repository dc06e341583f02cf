package io.casewatch.app;

import java.util.Map;

import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.WriteBufferManager;

/**
 * Bounds the memory of every RocksDB store of this JVM together (Kafka Streams' documented pattern): one LRU block
 * cache of {@value AppConfig#ROCKSDB_MEMORY_MIB} MiB shared by all stores, with index and filter blocks in it, and a
 * {@link WriteBufferManager} that charges the memtables to the same cache, at most
 * {@value AppConfig#ROCKSDB_WRITE_BUFFER_MIB} MiB of it. Without it each store of each task takes its own cache and
 * memtables (about 50 MiB a store by Kafka Streams' defaults), so memory grows with the partitions an instance holds,
 * including standbys, and a pod is OOM-killed after a rebalance gave it more tasks. docs/operations.md, Memory, has
 * the arithmetic with the heap.
 *
 * <p>Set by {@link Pipeline#streamsProperties} when {@code casewatch.rocksdb.memory.mib} is configured; the sizes
 * reach this class through the Streams configuration map under the same keys.
 */
public final class BoundedRocksDb implements RocksDBConfigSetter {

    /** Share of the cache given to index and filter blocks before data blocks are evicted (high priority pool). */
    static final double HIGH_PRIORITY_RATIO = 0.1;

    private static Shared shared;

    private record Shared(long totalBytes, long writeBufferBytes, Cache cache, WriteBufferManager writeBuffers) {
    }

    /** The one cache and write-buffer manager of this JVM, created with the first store's configuration. */
    static synchronized Shared shared(Map<String, Object> configs) {
        long total = mib(configs, AppConfig.ROCKSDB_MEMORY_MIB);
        long writeBuffers = mib(configs, AppConfig.ROCKSDB_WRITE_BUFFER_MIB);
        if (shared == null) {
            if (writeBuffers <= 0 || writeBuffers >= total) {
                throw new AppConfig.ConfigException(AppConfig.ROCKSDB_WRITE_BUFFER_MIB + " must be above 0 and below "
                        + AppConfig.ROCKSDB_MEMORY_MIB);
            }
            Cache cache = new LRUCache(total, -1, false, HIGH_PRIORITY_RATIO);
            shared = new Shared(total, writeBuffers, cache, new WriteBufferManager(writeBuffers, cache));
        }
        return shared;
    }

    /** Total bytes of the shared cache (for tests and the start-up log). */
    static synchronized long totalBytes() {
        return shared == null ? 0 : shared.totalBytes();
    }

    private static long mib(Map<String, Object> configs, String key) {
        Object v = configs.get(key);
        if (v == null) {
            throw new AppConfig.ConfigException(key + " is not set (" + BoundedRocksDb.class.getName() + " needs it)");
        }
        try {
            return Long.parseLong(v.toString().strip()) * 1024 * 1024;
        } catch (NumberFormatException e) {
            throw new AppConfig.ConfigException(key + ": '" + v + "' is not a whole number of MiB");
        }
    }

    @Override
    public void setConfig(String storeName, Options options, Map<String, Object> configs) {
        Shared s = shared(configs);
        BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
        table.setBlockCache(s.cache());
        // Index and filter blocks count against the bound too; pinned L0 ones keep reads of fresh data fast.
        table.setCacheIndexAndFilterBlocks(true);
        table.setCacheIndexAndFilterBlocksWithHighPriority(true);
        table.setPinL0FilterAndIndexBlocksInCache(true);
        options.setWriteBufferManager(s.writeBuffers());
        options.setTableFormatConfig(table);
    }

    @Override
    public void close(String storeName, Options options) {
        // The cache and the write-buffer manager are shared by every store of the JVM: never closed with one store.
    }
}
