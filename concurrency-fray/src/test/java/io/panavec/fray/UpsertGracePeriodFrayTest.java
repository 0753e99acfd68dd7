package io.panavec.fray;

import io.panavec.internal.UpsertsInFlight;
import org.junit.jupiter.api.extension.ExtendWith;
import org.pastalab.fray.junit.junit5.FrayTestExtension;
import org.pastalab.fray.junit.junit5.annotations.ConcurrencyTest;

import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;

import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The grace period of upserts ({@link UpsertsInFlight}, what keeps a replaced row live in the graph and the
 * allow-sets until the searches that cannot see its new row are done) under the interleavings Fray explores. The
 * writer runs upserts as the index does: publish the new rows, wait for the searches that entered before, tombstone
 * the old rows. A search enters, reads which upserts are published (the row count it will search), then which old
 * rows are tombstoned: an upsert it did not see published must not have tombstoned its old rows meanwhile, or the
 * search finds the id in neither row. It takes two upserts to expose a search counted in a stale epoch.
 */
@ExtendWith(FrayTestExtension.class)
class UpsertGracePeriodFrayTest {
    private static final int UPSERTS = 2;

    @ConcurrencyTest(iterations = 3000)
    void noSearchSeesAnUpsertsOldRowTombstonedBeforeItsNewRow() throws InterruptedException {
        UpsertsInFlight upserts = new UpsertsInFlight();
        AtomicReferenceArray<Boolean> published = new AtomicReferenceArray<>(UPSERTS);
        AtomicReferenceArray<Boolean> tombstoned = new AtomicReferenceArray<>(UPSERTS);
        for (int u = 0; u < UPSERTS; u++) {
            published.set(u, false);
            tombstoned.set(u, false);
        }
        AtomicReference<String> violation = new AtomicReference<>();
        Thread search = new Thread(() -> {
            for (int visit = 0; visit < 2; visit++) {
                int epoch = upserts.enter();
                boolean[] seen = new boolean[UPSERTS];
                for (int u = 0; u < UPSERTS; u++) seen[u] = published.get(u);
                for (int u = 0; u < UPSERTS; u++) {
                    if (!seen[u] && tombstoned.get(u)) {
                        violation.compareAndSet(null, "a search missed the new row of upsert " + u + " and found its old row tombstoned");
                    }
                }
                upserts.exit(epoch);
            }
        });
        search.start();
        for (int u = 0; u < UPSERTS; u++) {
            upserts.publishing(100 + u, new long[] {u});
            published.set(u, true);          // the store commit
            upserts.awaitEarlierSearches();
            tombstoned.set(u, true);         // retire: the old row marked deleted
            upserts.done();
        }
        search.join();
        assertNull(violation.get());
    }

}
