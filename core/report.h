// The JSON the core reports: signals (contract §5) and per-visitor results (contract §6).
// Numbers are already rounded in a Signal; the functions here round Scores themselves.
#ifndef MQLSCORE_CORE_REPORT_H_
#define MQLSCORE_CORE_REPORT_H_

#include <string>
#include <vector>

#include "core/visitor.h"

namespace mqlscore {

// {"type":"stage_changed","visitor":...,"ts":...,"from":...,"to":...,"engagement":...,
//  "fit":...,"score":...,"reasons":[{"rule":...,"points":...},...]}
void AppendSignalJson(const Signal& signal, std::string* out);

// [signal,...] for signals[first] onwards.
void AppendSignalsJson(const std::vector<Signal>& signals, std::size_t first, std::string* out);

// [{"rule":...,"points":...},...]
void AppendReasonsJson(const std::vector<Reason>& reasons, std::string* out);

// "engagement":...,"fit":...,"score":...,"stage":... (members for an object the caller opens),
// the scores rounded as reported.
void AppendScoresJson(const Scores& scores, const std::string& stage, std::string* out);

// {"visitor":...,"engagement":...,"fit":...,"score":...,"stage":...,"signals":[...]}
std::string VisitorResultJson(const std::string& visitor, const Scores& scores,
                              const std::string& stage, const std::vector<Signal>& signals);

}  // namespace mqlscore

#endif  // MQLSCORE_CORE_REPORT_H_
