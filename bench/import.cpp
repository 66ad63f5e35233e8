// netcrm's import measured from C++: a fresh database file, the default region set (so national
// phone numbers are normalized too), one import_file with everything on (normalization, matching and
// merging, indexes, full-text). The same work crm.import_file does under Python.
//
//   bench_import CARDS.vcf OUT.db [REGION]    prints one JSON line: the report's counts, seconds, max_rss_kb
#include <crm/importer.hpp>
#include <crm/store.hpp>

#include <sys/resource.h>
#include <time.h>

#include <chrono>
#include <cstdio>
#include <exception>
#include <string>

int main(int argc, char** argv) {
    if (argc < 3 || argc > 4) {
        std::fprintf(stderr, "usage: bench_import CARDS.vcf OUT.db [REGION]\n");
        return 2;
    }
    try {
        const auto start = std::chrono::steady_clock::now();
        crm::import_report r;
        double import_seconds = 0, writer_cpu_seconds = 0;
        // The calling thread does every write (a second thread parses and normalizes): its CPU time
        // says how busy the writing side is, whatever else runs on the machine.
        auto thread_cpu = [] {
            timespec ts{};
            clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
            return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
        };
        {
            auto db = crm::store::open(argv[2]);
            db.set_default_region(argc == 4 ? argv[3] : "US");
            const auto t = std::chrono::steady_clock::now();
            const double cpu = thread_cpu();
            r = db.imports().import_file(argv[1]);
            writer_cpu_seconds = thread_cpu() - cpu;
            import_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
        }  // closed: the WAL checkpoint is part of the cost, as for the baselines
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        rusage ru{};
        getrusage(RUSAGE_SELF, &ru);
        std::printf("{\"cards\": %zu, \"added\": %zu, \"merged\": %zu, \"skipped\": %zu, \"rejected\": %zu, "
                    "\"suggested\": %zu, \"seconds\": %.6f, \"import_seconds\": %.6f, \"writer_cpu_seconds\": %.6f, "
                    "\"max_rss_kb\": %ld}\n",
                    r.read, r.added, r.merged, r.skipped, r.rejected.size(), r.suggested.size(), seconds, import_seconds,
                    writer_cpu_seconds, ru.ru_maxrss);
        return 0;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "bench_import: %s\n", e.what());
        return 1;
    }
}
