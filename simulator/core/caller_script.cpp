#include "caller_script.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "duration.h"
#include "errors.h"

namespace callsim {

const char* to_string(ScriptStep::Kind kind) {
  switch (kind) {
    case ScriptStep::Kind::kListen:
      return "listen";
    case ScriptStep::Kind::kSay:
      return "say";
    case ScriptStep::Kind::kPause:
      return "pause";
    case ScriptStep::Kind::kDtmf:
      return "dtmf";
    case ScriptStep::Kind::kBargeIn:
      return "barge_in";
    case ScriptStep::Kind::kHangup:
      return "hangup";
  }
  return "?";
}

namespace {

constexpr std::string_view kKinds = "listen, say, pause, dtmf, barge_in, hangup";

// Script text (and yaml-cpp's messages, which quote it) goes into one-line errors: control bytes
// and overlong text would break them.
std::string printable(std::string_view text, size_t limit = 40) {
  std::string out;
  for (char c : text.substr(0, limit)) {
    const auto u = static_cast<unsigned char>(c);
    out += (u < 0x20 || u == 0x7f) ? '?' : c;
  }
  if (text.size() > limit) out += "...";
  return out;
}
std::string printable(char c) {
  return printable(std::string_view(&c, 1));
}

class StepParser {
 public:
  StepParser(const std::string& name, const std::string& base_dir, CallerScript& script)
      : name_(name), base_dir_(base_dir), script_(script) {}

  void parse(const YAML::Node& node, size_t index) {
    index_ = index;
    line_ = node.Mark().line + 1;
    kind_name_.clear();
    ScriptStep step;
    step.line = line_;
    YAML::Node value;
    if (node.IsScalar()) {
      kind_name_ = node.Scalar();
    } else if (node.IsMap()) {
      if (node.size() != 1) {
        throw error("a step is one key (" + std::string(kKinds) + "), this one has " +
                    std::to_string(node.size()));
      }
      const auto entry = node.begin();
      if (!entry->first.IsScalar()) throw error("a step's key must be a word");
      kind_name_ = entry->first.Scalar();
      value = entry->second;
      line_ = value.IsDefined() && !value.IsNull() ? value.Mark().line + 1 : line_;
    } else {
      throw error("a step is a word or a one-key map, e.g. `- listen` or `- pause: 600ms`");
    }
    const bool has_value = value.IsDefined() && !value.IsNull();
    if (kind_name_ == "listen") {
      step.kind = ScriptStep::Kind::kListen;
      if (has_value) step.duration = duration_field(value, "timeout", true);
    } else if (kind_name_ == "hangup") {
      step.kind = ScriptStep::Kind::kHangup;
      if (has_value) throw error("hangup takes nothing");
    } else if (kind_name_ == "pause") {
      step.kind = ScriptStep::Kind::kPause;
      if (!has_value || !value.IsScalar()) throw error("pause needs a duration, e.g. pause: 600ms");
      step.duration = duration(value.Scalar());
    } else if (kind_name_ == "barge_in") {
      step.kind = ScriptStep::Kind::kBargeIn;
      if (!has_value) throw error("barge_in needs {after: DURATION}");
      step.duration = duration_field(value, "after", false);
    } else if (kind_name_ == "dtmf") {
      step.kind = ScriptStep::Kind::kDtmf;
      if (!has_value || !value.IsScalar() || value.Scalar().empty()) {
        throw error("dtmf needs digits, e.g. dtmf: \"123#\" (quote them: # starts a comment)");
      }
      step.digits = value.Scalar();
      if (step.digits.size() > kMaxDtmfDigits) {
        throw error(fmt::format("dtmf takes at most {} digits", kMaxDtmfDigits));
      }
      for (char c : step.digits) {
        if (!((c >= '0' && c <= '9') || c == '*' || c == '#')) {
          throw error(fmt::format("dtmf digit '{}' is not a phone key (0-9, *, #)", printable(c)));
        }
      }
    } else if (kind_name_ == "say") {
      step.kind = ScriptStep::Kind::kSay;
      parse_say(value, has_value, step);
    } else {
      throw error(fmt::format("unknown step '{}' (expected {})", printable(kind_name_), kKinds));
    }
    script_.steps.push_back(std::move(step));
  }

  InputError error(const std::string& what) const {
    const std::string kind = kind_name_.empty() ? "" : " (" + printable(kind_name_) + ")";
    // `what` may quote script text (a duration parse_duration rejected, folded over lines).
    return InputError(
        fmt::format("{}:{}: step {}{}: {}", name_, line_, index_ + 1, kind, printable(what, 300)));
  }

 private:
  void parse_say(const YAML::Node& value, bool has_value, ScriptStep& step) {
    if (!has_value) throw error("say needs a file or {utterance: N}");
    if (value.IsScalar()) {
      std::string file = value.Scalar();
      if (file.empty()) throw error("say needs a file or {utterance: N}");
      if (file.find('\0') != std::string::npos) throw error("the file name holds a NUL byte");
      if (!base_dir_.empty() && std::filesystem::path(file).is_relative()) {
        file = (std::filesystem::path(base_dir_) / file).lexically_normal().string();
      }
      auto found = std::find(script_.files.begin(), script_.files.end(), file);
      step.file = static_cast<size_t>(found - script_.files.begin());
      if (found == script_.files.end()) script_.files.push_back(std::move(file));
      return;
    }
    check_keys(value, "utterance");
    const YAML::Node n = value["utterance"];
    if (!n.IsDefined() || !n.IsScalar()) throw error("say needs a file or {utterance: N}");
    const std::string& text = n.Scalar();
    size_t utterance = 0;
    bool digits = !text.empty() && text.size() <= 9;
    for (char c : text) digits = digits && c >= '0' && c <= '9';
    if (digits) utterance = std::stoul(text);
    if (!digits || utterance == 0) {
      throw error(fmt::format("utterance '{}' is not a whole number from 1", printable(text)));
    }
    step.utterance = utterance;
  }

  // `listen: 5s` or `listen: {timeout: 5s}`; barge_in only the map.
  Nanos duration_field(const YAML::Node& value, const char* key, bool bare_allowed) {
    if (value.IsScalar() && bare_allowed) return duration(value.Scalar());
    check_keys(value, key);
    const YAML::Node d = value[key];
    if (!d.IsDefined() || !d.IsScalar()) {
      throw error(fmt::format("{} needs {{{}: DURATION}}", kind_name_, key));
    }
    return duration(d.Scalar());
  }

  void check_keys(const YAML::Node& value, const char* key) {
    if (!value.IsMap()) throw error(fmt::format("expected {{{}: ...}}", key));
    for (const auto& entry : value) {
      if (!entry.first.IsScalar() || entry.first.Scalar() != key) {
        const std::string k = entry.first.IsScalar() ? entry.first.Scalar() : "?";
        throw error(fmt::format("unknown key '{}' (expected {})", printable(k), key));
      }
    }
  }

  Nanos duration(const std::string& text) {
    try {
      const Nanos d = parse_duration(text);
      if (d > std::chrono::hours(24)) throw InputError("longer than 24h");
      return d;
    } catch (const InputError& e) {
      throw error(e.what());
    }
  }

  const std::string& name_;
  const std::string& base_dir_;
  CallerScript& script_;
  size_t index_ = 0;
  int line_ = 0;
  std::string kind_name_;
};

}  // namespace

bool CallerScript::has_dtmf() const {
  return std::any_of(steps.begin(), steps.end(),
                     [](const ScriptStep& s) { return s.kind == ScriptStep::Kind::kDtmf; });
}

size_t CallerScript::highest_utterance() const {
  size_t highest = 0;
  for (const ScriptStep& s : steps) highest = std::max(highest, s.utterance);
  return highest;
}

void CallerScript::check_utterances(size_t available) const {
  for (size_t i = 0; i < steps.size(); ++i) {
    if (steps[i].utterance > available) {
      throw InputError(
          fmt::format("{}:{}: step {} (say): utterance {} does not exist (the fixture has {})",
                      name, steps[i].line, i + 1, steps[i].utterance, available));
    }
  }
}

CallerScript parse_caller_script(std::string_view text, const std::string& name,
                                 const std::string& base_dir) {
  if (text.size() > kMaxScriptBytes) {
    throw InputError(fmt::format("{}: script is larger than {} bytes", name, kMaxScriptBytes));
  }
  CallerScript script;
  script.name = name;
  YAML::Node root;
  try {
    root = YAML::Load(std::string(text));
  } catch (const YAML::Exception& e) {
    throw InputError(fmt::format("{}:{}:{}: invalid YAML: {}", name, e.mark.line + 1,
                                 e.mark.column + 1, printable(e.msg, 200)));
  }
  if (!root.IsDefined() || root.IsNull()) throw InputError(name + ": the script has no steps");
  if (!root.IsSequence()) {
    throw InputError(fmt::format("{}:{}: a script is a list of steps (`- listen`, `- say: ...`)",
                                 name, root.Mark().line + 1));
  }
  if (root.size() == 0) throw InputError(name + ": the script has no steps");
  if (root.size() > kMaxScriptSteps) {
    throw InputError(fmt::format("{}: more than {} steps", name, kMaxScriptSteps));
  }
  StepParser parser(name, base_dir, script);
  size_t index = 0;
  try {
    for (const YAML::Node& node : root) parser.parse(node, index++);
  } catch (const YAML::Exception& e) {
    throw InputError(
        fmt::format("{}:{}: step {}: {}", name, e.mark.line + 1, index, printable(e.msg, 200)));
  }
  for (size_t i = 0; i < script.steps.size(); ++i) {
    if (script.steps[i].kind != ScriptStep::Kind::kBargeIn) continue;
    if (i + 1 == script.steps.size() || script.steps[i + 1].kind != ScriptStep::Kind::kSay) {
      throw InputError(
          fmt::format("{}:{}: step {} (barge_in): must be followed by a say step "
                      "(what the caller says over the bot)",
                      name, script.steps[i].line, i + 1));
    }
  }
  return script;
}

CallerScript load_caller_script(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(fmt::format("cannot read script '{}'", path));
  std::string text;
  text.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  if (in.bad()) throw InputError(fmt::format("cannot read script '{}'", path));
  const std::string dir = std::filesystem::path(path).parent_path().string();
  return parse_caller_script(text, path, dir.empty() ? "." : dir);
}

}  // namespace callsim
