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
#include "sarif/json_writer.h"
#include "sarif/junit_writer.h"
#include "sarif/markdown_writer.h"
#include "sarif/sarif_writer.h"
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
    Report report;
    report.model = &finalized_model();
    report.findings = &findings;
    report.options = &options;
    report.rules = &rules;
    std::string text = write_text(report, false);
    benchmark::DoNotOptimize(text.data());
  }
}
BENCHMARK(BM_AllRulesAndTextWriter)->Unit(benchmark::kMillisecond);

// Each writer over the findings of all rules.
template <std::string (*Write)(const Report&)>
void BM_Writer(benchmark::State& state) {
  static auto rules = all_rules();
  static ScanOptions options;
  static std::vector<Finding> findings =
      run_rules(finalized_model(), options, rules);
  Report report;
  report.model = &finalized_model();
  report.findings = &findings;
  report.options = &options;
  report.rules = &rules;
  for (auto _ : state) {
    std::string out = Write(report);
    benchmark::DoNotOptimize(out.data());
  }
  state.counters["findings"] = static_cast<double>(findings.size());
}
BENCHMARK(BM_Writer<write_sarif>)
    ->Name("BM_Writer/sarif")
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Writer<write_json>)
    ->Name("BM_Writer/json")
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Writer<write_junit>)
    ->Name("BM_Writer/junit")
    ->Unit(benchmark::kMillisecond);
std::string write_markdown_default(const Report& report) {
  return write_markdown(report);
}
BENCHMARK(BM_Writer<write_markdown_default>)
    ->Name("BM_Writer/markdown")
    ->Unit(benchmark::kMillisecond);

// One benchmark per registered rule, named after its id.
void register_rules() {
  static auto rules = all_rules();
  for (const auto& rule : rules) {
    const Rule* r = rule.get();
    static std::vector<std::string>
        names;  // RegisterBenchmark keeps the pointer
    names.reserve(16);
    names.push_back("BM_Rule/" + std::string(r->meta().id));
    benchmark::RegisterBenchmark(names.back().c_str(),
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
}
}  // namespace
}  // namespace drcheck

// Rules are registered from main, not from a static initializer: rule
// metadata lives in other translation units' statics.
int main(int argc, char** argv) {
  drcheck::register_rules();
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
