/*
 * The part of GCC's OpenMP runtime ABI (libgomp) that the statically linked FAISS calls, implemented on
 * pthreads inside libpanavec. Debian's libgomp.a cannot be linked into a shared library (its TLS uses the
 * local-exec model: R_X86_64_TPOFF32), and a dynamic libgomp.so.1 is what a machine with only a JDK lacks.
 *
 * Semantics follow libgomp's defaults: nthreads-var per thread (omp_set_num_threads), initially
 * OMP_NUM_THREADS or the CPUs this process may run on; nested parallel regions run serialized (one
 * thread, as with max-active-levels 1); dynamic loops hand out chunks from one atomic counter per work
 * share; critical and atomic sections are one process-wide mutex each. Worker threads are pooled for the
 * life of the process and sleep on a condition variable between regions. Teams of different callers
 * (Java threads searching concurrently) are independent.
 */
#define _GNU_SOURCE
#include <limits.h>
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

#define OMP_MAX_THREADS 256
#define WS_RING 16

typedef struct {
    unsigned index;  /* which work share of the team this slot holds */
    int left;        /* team threads that have not finished it; 0 = slot free */
    long next, count; /* next iteration to hand out, iterations in all */
    long start, incr, chunk;
} work_share;

typedef struct team {
    int n;
    int icv; /* nthreads-var inherited by the team's threads */
    pthread_mutex_t m;
    pthread_cond_t cv;
    int arrived;
    unsigned generation;
    int running; /* workers still inside the region */
    unsigned single_count;
    work_share ws[WS_RING];
} team;

typedef struct {
    team *team;
    int id;
    unsigned ws_index, single_count;
    work_share *ws;
    int icv; /* 0: the process default */
} thread_state;

static __thread thread_state t_state;

/* ---- nthreads-var ------------------------------------------------------------------------ */

static pthread_once_t g_default_once = PTHREAD_ONCE_INIT;
static int g_default_threads = 1;

static void default_init(void) {
    const char *env = getenv("OMP_NUM_THREADS");
    long n = env != NULL ? strtol(env, NULL, 10) : 0;
    if (n < 1) {
        cpu_set_t set;
        n = sched_getaffinity(0, sizeof set, &set) == 0 ? CPU_COUNT(&set) : sysconf(_SC_NPROCESSORS_ONLN);
    }
    g_default_threads = n < 1 ? 1 : n > OMP_MAX_THREADS ? OMP_MAX_THREADS : (int)n;
}

int omp_get_max_threads(void) {
    if (t_state.icv > 0) return t_state.icv;
    pthread_once(&g_default_once, default_init);
    return g_default_threads;
}

void omp_set_num_threads(int n) { t_state.icv = n < 1 ? 1 : n > OMP_MAX_THREADS ? OMP_MAX_THREADS : n; }
int omp_get_thread_num(void) { return t_state.team != NULL ? t_state.id : 0; }
int omp_get_num_threads(void) { return t_state.team != NULL ? t_state.team->n : 1; }
int omp_in_parallel(void) { return t_state.team != NULL && t_state.team->n > 1; }
void omp_set_nested(int nested) { (void)nested; } /* nested regions always run serialized */
int omp_get_nested(void) { return 0; }

/* ---- worker pool ------------------------------------------------------------------------- */

typedef struct worker {
    pthread_mutex_t m;
    pthread_cond_t cv;
    void (*fn)(void *);
    void *data;
    team *team;
    int id;
    struct worker *next_idle;
} worker;

static pthread_mutex_t g_pool_mutex = PTHREAD_MUTEX_INITIALIZER;
static worker *g_idle;

static void enter(team *t, int id, thread_state *saved) {
    *saved = t_state;
    t_state.team = t;
    t_state.id = id;
    t_state.ws_index = 0;
    t_state.single_count = 0;
    t_state.ws = NULL;
    t_state.icv = t->icv;
}

static void *worker_main(void *arg) {
    worker *w = arg;
    pthread_setname_np(pthread_self(), "panavec-omp"); /* visible in top -H, jstack and /proc/<pid>/task */
    for (;;) {
        pthread_mutex_lock(&w->m);
        while (w->team == NULL) pthread_cond_wait(&w->cv, &w->m);
        team *t = w->team;
        void (*fn)(void *) = w->fn;
        void *data = w->data;
        int id = w->id;
        w->team = NULL;
        pthread_mutex_unlock(&w->m);
        thread_state saved;
        enter(t, id, &saved);
        fn(data);
        t_state = saved;
        pthread_mutex_lock(&g_pool_mutex); /* idle again before the team can end */
        w->next_idle = g_idle;
        g_idle = w;
        pthread_mutex_unlock(&g_pool_mutex);
        pthread_mutex_lock(&t->m);
        if (--t->running == 0) pthread_cond_broadcast(&t->cv);
        pthread_mutex_unlock(&t->m); /* t may end as soon as this returns */
    }
    return NULL;
}

/* An idle worker, or a new one; NULL if no thread can be started. */
static worker *worker_get(void) {
    pthread_mutex_lock(&g_pool_mutex);
    worker *w = g_idle;
    if (w != NULL) g_idle = w->next_idle;
    pthread_mutex_unlock(&g_pool_mutex);
    if (w != NULL) return w;
    w = calloc(1, sizeof *w);
    if (w == NULL) return NULL;
    pthread_mutex_init(&w->m, NULL);
    pthread_cond_init(&w->cv, NULL);
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    pthread_t tid;
    int rc = pthread_create(&tid, &attr, worker_main, w);
    pthread_attr_destroy(&attr);
    if (rc != 0) {
        pthread_cond_destroy(&w->cv);
        pthread_mutex_destroy(&w->m);
        free(w);
        return NULL;
    }
    return w;
}

/* ---- parallel regions -------------------------------------------------------------------- */

void GOMP_parallel(void (*fn)(void *), void *data, unsigned num_threads, unsigned flags) {
    (void)flags; /* proc_bind: no binding */
    int n = num_threads > 0 ? (int)(num_threads > OMP_MAX_THREADS ? OMP_MAX_THREADS : num_threads) : omp_get_max_threads();
    if (t_state.team != NULL) n = 1; /* nested: serialized */
    worker *workers[OMP_MAX_THREADS];
    int got = 0;
    while (got < n - 1 && (workers[got] = worker_get()) != NULL) got++;
    team t = {.n = got + 1, .icv = omp_get_max_threads(), .running = got};
    pthread_mutex_init(&t.m, NULL);
    pthread_cond_init(&t.cv, NULL);
    for (int i = 0; i < got; i++) {
        worker *w = workers[i];
        pthread_mutex_lock(&w->m);
        w->fn = fn;
        w->data = data;
        w->id = i + 1;
        w->team = &t;
        pthread_cond_signal(&w->cv);
        pthread_mutex_unlock(&w->m);
    }
    thread_state saved;
    enter(&t, 0, &saved);
    fn(data);
    t_state = saved;
    pthread_mutex_lock(&t.m);
    while (t.running > 0) pthread_cond_wait(&t.cv, &t.m);
    pthread_mutex_unlock(&t.m);
    pthread_cond_destroy(&t.cv);
    pthread_mutex_destroy(&t.m);
}

void GOMP_barrier(void) {
    team *t = t_state.team;
    if (t == NULL || t->n == 1) return;
    pthread_mutex_lock(&t->m);
    unsigned gen = t->generation;
    if (++t->arrived == t->n) {
        t->arrived = 0;
        t->generation++;
        pthread_cond_broadcast(&t->cv);
    } else {
        while (gen == t->generation) pthread_cond_wait(&t->cv, &t->m);
    }
    pthread_mutex_unlock(&t->m);
}

bool GOMP_single_start(void) {
    team *t = t_state.team;
    if (t == NULL || t->n == 1) return true;
    unsigned mine = t_state.single_count++;
    return __atomic_compare_exchange_n(&t->single_count, &mine, mine + 1, false, __ATOMIC_ACQ_REL, __ATOMIC_RELAXED);
}

/* ---- dynamic loops ----------------------------------------------------------------------- */

static bool loop_next(long *istart, long *iend) {
    work_share *w = t_state.ws;
    long it = __atomic_fetch_add(&w->next, w->chunk, __ATOMIC_RELAXED);
    if (it >= w->count) return false;
    long last = it + w->chunk < w->count ? it + w->chunk : w->count;
    *istart = w->start + it * w->incr;
    *iend = w->start + last * w->incr;
    return true;
}

static long iterations(long start, long end, long incr) {
    if (incr > 0) return end > start ? (end - start + incr - 1) / incr : 0;
    return start > end ? (start - end - incr - 1) / -incr : 0;
}

bool GOMP_loop_nonmonotonic_dynamic_start(long start, long end, long incr, long chunk, long *istart, long *iend) {
    team *t = t_state.team;
    if (t == NULL) { /* orphaned loop outside any region: this thread runs every iteration as one chunk */
        long count = iterations(start, end, incr);
        t_state.ws = NULL;
        *istart = start;
        *iend = start + count * incr;
        return count > 0;
    }
    unsigned index = t_state.ws_index++;
    work_share *w = &t->ws[index % WS_RING];
    pthread_mutex_lock(&t->m);
    while (w->left > 0 && w->index != index) pthread_cond_wait(&t->cv, &t->m); /* slot still in use */
    if (w->left == 0) { /* first thread here: set the work share up */
        w->index = index;
        w->left = t->n;
        w->count = iterations(start, end, incr);
        w->start = start;
        w->incr = incr;
        w->chunk = chunk > 0 ? chunk : 1;
        w->next = 0;
    }
    pthread_mutex_unlock(&t->m);
    t_state.ws = w;
    return loop_next(istart, iend);
}

bool GOMP_loop_nonmonotonic_dynamic_next(long *istart, long *iend) {
    if (t_state.ws == NULL) return false; /* orphaned loop: its single chunk is done */
    return loop_next(istart, iend);
}

void GOMP_loop_end_nowait(void) {
    team *t = t_state.team;
    work_share *w = t_state.ws;
    t_state.ws = NULL;
    if (t == NULL || w == NULL) return;
    pthread_mutex_lock(&t->m);
    if (--w->left == 0) pthread_cond_broadcast(&t->cv);
    pthread_mutex_unlock(&t->m);
}

void GOMP_loop_end(void) {
    GOMP_loop_end_nowait();
    GOMP_barrier();
}

/* ---- critical and atomic sections, locks ------------------------------------------------- */

static pthread_mutex_t g_critical = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t g_atomic = PTHREAD_MUTEX_INITIALIZER;

void GOMP_critical_start(void) { pthread_mutex_lock(&g_critical); }
void GOMP_critical_end(void) { pthread_mutex_unlock(&g_critical); }
void GOMP_atomic_start(void) { pthread_mutex_lock(&g_atomic); }
void GOMP_atomic_end(void) { pthread_mutex_unlock(&g_atomic); }

/* omp_lock_t is 4 bytes in GCC's omp.h: a futex word, 0 free, 1 locked, 2 locked with waiters. */
typedef struct { int word; } omp_lock_t;

void omp_init_lock(omp_lock_t *l) { l->word = 0; }
void omp_destroy_lock(omp_lock_t *l) { (void)l; }

void omp_set_lock(omp_lock_t *l) {
    int c = 0;
    if (__atomic_compare_exchange_n(&l->word, &c, 1, false, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED)) return;
    if (c != 2) c = __atomic_exchange_n(&l->word, 2, __ATOMIC_ACQUIRE);
    while (c != 0) {
        syscall(SYS_futex, &l->word, FUTEX_WAIT_PRIVATE, 2, NULL, NULL, 0);
        c = __atomic_exchange_n(&l->word, 2, __ATOMIC_ACQUIRE);
    }
}

void omp_unset_lock(omp_lock_t *l) {
    if (__atomic_exchange_n(&l->word, 0, __ATOMIC_RELEASE) == 2)
        syscall(SYS_futex, &l->word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
}
