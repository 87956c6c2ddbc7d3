// Google Benchmark micro-benchmarks: the JSON parser, each loader's work on a
// generated plan, Model::finalize, each registered rule, and each writer.
//
//   bench/gen_plan.py --resources 2000 -o bench/out/plan2k.json
//   build-bench/drcheck_bench [--benchmark_filter=Rule]   (input: env
//   DRCHECK_BENCH_INPUT, default bench/out/plan2k.json)
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <memory>
#include <string>

#include "analyzer/engine.h"
#include "analyzer/json.h"
#include "analyzer/loader.h"
#include "rules/registry.h"
#include "sarif/text_writer.h"

namespace drcheck {
namespace {

std::string input_path() {
  const char* env = std::getenv("DRCHECK_BENCH_INPUT");
  return env ? env : "bench/out/plan2k.json";
}

std::shared_ptr<const SourceFile> source() {
  static std::shared_ptr<const SourceFile> src = [] {
    auto r = SourceFile::read(input_path());
    if (auto* d = std::get_if<Diagnostic>(&r)) {
      std::fprintf(stderr, "%s\n", d->str().c_str());
      std::exit(2);
    }
    return std::get<std::shared_ptr<const SourceFile>>(r);
  }();
  return src;
}

std::shared_ptr<const json::JsonDoc> doc() {
  static auto d = std::get<std::shared_ptr<const json::JsonDoc>>(
      json::JsonDoc::parse(source()));
  return d;
}

Model loaded_model() {
  Model m;
  load_document(doc(), input_path(), LoadOptions{}, m, true);
  return m;
}

const Model& finalized_model() {
  static Model m = [] {
    Model x = loaded_model();
    x.finalize({});
    return x;
  }();
  return m;
}

void BM_JsonParse(benchmark::State& state) {
  auto src = source();
  for (auto _ : state) {
    auto d = json::JsonDoc::parse(src);
    benchmark::DoNotOptimize(d);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) *
                          static_cast<int64_t>(src->size()));
}
BENCHMARK(BM_JsonParse)->Unit(benchmark::kMillisecond);

void BM_Load(benchmark::State& state) {
  for (auto _ : state) {
    Model m = loaded_model();
    benchmark::DoNotOptimize(m.resources.data());
  }
  state.counters["resources"] =
      static_cast<double>(finalized_model().resources.size());
}
BENCHMARK(BM_Load)->Unit(benchmark::kMillisecond);

void BM_Finalize(benchmark::State& state) {
  for (auto _ : state) {
    state.PauseTiming();
    Model m = loaded_model();
    state.ResumeTiming();
    m.finalize({});
    benchmark::DoNotOptimize(m.resources.data());
  }
}
BENCHMARK(BM_Finalize)->Unit(benchmark::kMillisecond);

void BM_AllRulesAndTextWriter(benchmark::State& state) {
  auto rules = all_rules();
  for (auto _ : state) {
    ScanOptions options;
    auto findings = run_rules(finalized_model(), options, rules);
    Report report{&finalized_model(), &findings, &options, &rules, ""};
    std::string text = write_text(report, false);
    benchmark::DoNotOptimize(text.data());
  }
}
BENCHMARK(BM_AllRulesAndTextWriter)->Unit(benchmark::kMillisecond);

// One benchmark per registered rule, named after its id.
int register_rules() {
  static auto rules = all_rules();
  for (const auto& rule : rules) {
    const Rule* r = rule.get();
    benchmark::RegisterBenchmark(
        ("BM_Rule/" + std::string(r->meta().id)).c_str(),
        [r](benchmark::State& state) {
          ScanOptions options;
          infer_env_suffix(finalized_model(), options);
          for (auto _ : state) {
            std::vector<Finding> out;
            r->check(finalized_model(), options, out);
            benchmark::DoNotOptimize(out.data());
          }
        })
        ->Unit(benchmark::kMillisecond);
  }
  return 0;
}
const int kRegistered = register_rules();

}  // namespace
}  // namespace drcheck
