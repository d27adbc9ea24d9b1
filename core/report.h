// The documents the core reports, as Values: signals (contract §5) and per-visitor results
// (contract §6). The command line writes them as JSON text (core/json_writer.h); the WebAssembly
// build hands them to JavaScript as plain objects. Numbers are already rounded in a Signal; the
// functions here round Scores themselves.
#ifndef MQLSCORE_CORE_REPORT_H_
#define MQLSCORE_CORE_REPORT_H_

#include <string>
#include <vector>

#include "core/value.h"
#include "core/visitor.h"

namespace mqlscore {

// {"type":"stage_changed","visitor":...,"ts":...,"from":...,"to":...,"engagement":...,
//  "fit":...,"score":...,"reasons":[{"rule":...,"points":...},...]}
Value SignalValue(const Signal& signal);

// [signal,...]
Value SignalsValue(const std::vector<Signal>& signals);

// [{"rule":...,"points":...},...]
Value ReasonsValue(const std::vector<Reason>& reasons);

// {"engagement":...,"fit":...,"score":...,"stage":...,"reasons":[...]}, the scores rounded as
// reported.
Value ScoresValue(const Scores& scores, const std::string& stage,
                  const std::vector<Reason>& reasons);

// {"visitor":...,"engagement":...,"fit":...,"score":...,"stage":...,"signals":[...]}
Value VisitorResultValue(const std::string& visitor, const Scores& scores, const std::string& stage,
                         const std::vector<Signal>& signals);

}  // namespace mqlscore

#endif  // MQLSCORE_CORE_REPORT_H_
