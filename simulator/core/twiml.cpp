#include "core/twiml.h"

#include <fmt/format.h>
#include <pugixml.hpp>

#include "core/url.h"

namespace callsim {
namespace {

constexpr size_t kMaxQuoted = 120;

// Hostile text quoted in a one-line error: control characters replaced, length bounded.
std::string quoted(std::string_view text) {
  std::string out;
  for (unsigned char c : text.substr(0, kMaxQuoted)) {
    out.push_back(c < 0x20 || c == 0x7F ? '?' : static_cast<char>(c));
  }
  if (text.size() > kMaxQuoted) out.append("...");
  return out;
}

bool is_xml_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && is_xml_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_xml_space(text.back())) text.remove_suffix(1);
  return text;
}

bool contains_ignoring_case(std::string_view haystack, std::string_view needle) {
  const auto lower = [](char c) { return (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c; };
  for (size_t i = 0; i + needle.size() <= haystack.size(); ++i) {
    size_t k = 0;
    while (k < needle.size() && lower(haystack[i + k]) == lower(needle[k])) ++k;
    if (k == needle.size()) return true;
  }
  return false;
}

// Walks the whole tree without recursion, so nesting cannot exhaust the stack.
std::string check_shape(const pugi::xml_document& doc, const TwimlLimits& limits) {
  size_t elements = 0;
  int depth = 1;
  pugi::xml_node node = doc.first_child();
  while (node) {
    if (node.type() == pugi::node_element) {
      if (++elements > limits.max_elements) {
        return fmt::format("TwiML has more than {} elements", limits.max_elements);
      }
      if (depth > limits.max_depth) {
        return fmt::format("TwiML nests elements deeper than {}", limits.max_depth);
      }
    }
    if (node.first_child()) {
      node = node.first_child();
      ++depth;
      continue;
    }
    while (node != doc && !node.next_sibling()) {
      node = node.parent();
      --depth;
    }
    if (node == doc) break;
    node = node.next_sibling();
  }
  return "";
}

// The text of a <Say>, including text inside SSML children, whitespace runs collapsed.
void append_say_text(pugi::xml_node say, std::string& out, size_t max_bytes) {
  std::string text;
  bool pending_space = false;
  for (pugi::xml_node node = say.first_child(); node && node != say;) {
    if (node.type() == pugi::node_pcdata || node.type() == pugi::node_cdata) {
      for (char c : std::string_view(node.value())) {
        if (is_xml_space(c)) {
          pending_space = !text.empty();
        } else {
          if (pending_space) text.push_back(' ');
          pending_space = false;
          text.push_back(c);
        }
      }
    }
    if (node.first_child()) {
      node = node.first_child();
      continue;
    }
    while (node != say && !node.next_sibling()) node = node.parent();
    if (node != say) node = node.next_sibling();
  }
  if (text.empty()) return;
  if (!out.empty()) out.push_back(' ');
  out.append(text);
  if (out.size() > max_bytes) out.resize(max_bytes);
}

class Interpreter {
 public:
  Interpreter(std::string_view document_url, const TwimlLimits& limits)
      : document_url_(document_url), limits_(limits) {}

  TwimlDecision run(pugi::xml_node response) {
    for (pugi::xml_node verb : response.children()) {
      if (verb.type() != pugi::node_element) continue;
      const std::string_view name = verb.name();
      if (name == "Say") {
        append_say_text(verb, decision_.say_text, limits_.max_say_text);
        last_verb_ = EndingVerb::kSay;
      } else if (name == "Play") {
        last_verb_ = EndingVerb::kPlay;
      } else if (name == "Pause") {
        last_verb_ = EndingVerb::kPause;
      } else if (name == "Connect") {
        return connect(verb);
      } else if (name == "Redirect") {
        return redirect(verb);
      } else if (name == "Reject") {
        const std::string_view reason = verb.attribute("reason").value();
        decision_.reject_reason = reason.empty() ? "rejected" : std::string(reason);
        return rejected(EndingVerb::kReject);
      } else if (name == "Hangup") {
        return rejected(EndingVerb::kHangup);
      } else {
        return error(
            fmt::format("unsupported verb <{}> (callsim follows Say, Play, Pause, Connect/Stream, "
                        "Redirect, Reject and Hangup)",
                        quoted(name)));
      }
    }
    return rejected(last_verb_);
  }

 private:
  TwimlDecision connect(pugi::xml_node connect) {
    pugi::xml_node noun =
        connect.find_child([](pugi::xml_node child) { return child.type() == pugi::node_element; });
    if (!noun) return error("<Connect> is empty: no <Stream>");
    if (std::string_view(noun.name()) != "Stream") {
      return error(fmt::format("<Connect> holds <{}>, not <Stream>", quoted(noun.name())));
    }
    StreamInstruction& stream = decision_.stream;
    const std::string_view url = trim(noun.attribute("url").value());
    if (url.empty()) return error("<Stream> has no url");
    if (!resolve("<Stream url>", url, {"ws", "wss"}, true, stream.url)) return decision_;
    stream.name = noun.attribute("name").value();
    if (!resolve_optional("<Stream statusCallback>", noun.attribute("statusCallback").value(),
                          stream.status_callback)) {
      return decision_;
    }
    if (!method_of(noun, "statusCallbackMethod", "<Stream statusCallbackMethod>",
                   stream.status_callback_method)) {
      return decision_;
    }
    if (!resolve_optional("<Connect action>", connect.attribute("action").value(),
                          stream.connect_action)) {
      return decision_;
    }
    if (!method_of(connect, "method", "<Connect method>", stream.connect_method)) return decision_;
    for (pugi::xml_node parameter : noun.children("Parameter")) {
      const pugi::xml_attribute param_name = parameter.attribute("name");
      if (!param_name || std::string_view(param_name.value()).empty()) {
        return error("<Parameter> without a name");
      }
      stream.parameters.emplace_back(param_name.value(), parameter.attribute("value").value());
    }
    decision_.action = TwimlAction::kStream;
    return decision_;
  }

  TwimlDecision redirect(pugi::xml_node redirect) {
    const std::string_view url = trim(redirect.text().get());
    if (url.empty()) return error("<Redirect> has no URL");
    if (!resolve("<Redirect>", url, {"http", "https"}, false, decision_.redirect_url)) {
      return decision_;
    }
    if (!method_of(redirect, "method", "<Redirect method>", decision_.redirect_method)) {
      return decision_;
    }
    decision_.action = TwimlAction::kRedirect;
    return decision_;
  }

  bool method_of(pugi::xml_node node, const char* attribute, const char* what, HttpMethod& out) {
    const std::string_view text = trim(node.attribute(attribute).value());
    if (auto method = parse_http_method(text)) {
      out = *method;
      return true;
    }
    error(fmt::format("{} '{}' is neither GET nor POST", what, quoted(text)));
    return false;
  }

  bool resolve_optional(const char* what, std::string_view raw, std::string& out) {
    const std::string_view url = trim(raw);
    return url.empty() || resolve(what, url, {"http", "https"}, false, out);
  }

  // An absolute URL is kept exactly as written (servers check signatures over that string);
  // a relative one resolves against the document's URL.
  bool resolve(const char* what, std::string_view url,
               std::initializer_list<std::string_view> schemes, bool websocket, std::string& out) {
    if (split_uri_reference(url).scheme) {
      out = std::string(url);
    } else {
      auto resolved = resolve_uri_reference(document_url_, url);
      if (!resolved) {
        error(fmt::format("{} '{}' is relative and the webhook URL '{}' is not absolute", what,
                          quoted(url), quoted(document_url_)));
        return false;
      }
      out = std::move(*resolved);
      if (websocket) {
        const std::string scheme = url_scheme(out);
        if (scheme == "http" || scheme == "https") {
          out.replace(0, scheme.size(), scheme == "http" ? "ws" : "wss");
        }
      }
    }
    const std::string problem = url_problem(out, schemes);
    if (!problem.empty()) {
      error(fmt::format("{} '{}' cannot be used: {}", what, quoted(out), problem));
      return false;
    }
    return true;
  }

  TwimlDecision rejected(EndingVerb verb) {
    decision_.action = TwimlAction::kRejected;
    decision_.ending_verb = verb;
    return decision_;
  }

  TwimlDecision error(std::string message) {
    decision_.action = TwimlAction::kProtocolError;
    decision_.stream = StreamInstruction{};
    decision_.error = std::move(message);
    return decision_;
  }

  std::string_view document_url_;
  const TwimlLimits& limits_;
  TwimlDecision decision_;
  EndingVerb last_verb_ = EndingVerb::kNone;
};

TwimlDecision protocol_error(std::string message) {
  TwimlDecision decision;
  decision.error = std::move(message);
  return decision;
}

}  // namespace

const char* to_string(TwimlAction action) {
  switch (action) {
    case TwimlAction::kStream:
      return "stream";
    case TwimlAction::kRejected:
      return "rejected";
    case TwimlAction::kRedirect:
      return "redirect";
    case TwimlAction::kProtocolError:
      return "protocol-error";
  }
  return "?";
}

const char* to_string(EndingVerb verb) {
  switch (verb) {
    case EndingVerb::kReject:
      return "Reject";
    case EndingVerb::kHangup:
      return "Hangup";
    case EndingVerb::kSay:
      return "Say";
    case EndingVerb::kPlay:
      return "Play";
    case EndingVerb::kPause:
      return "Pause";
    case EndingVerb::kNone:
      return "none";
  }
  return "?";
}

TwimlDecision parse_twiml(std::string_view body, std::string_view document_url,
                          const TwimlLimits& limits) {
  // Refused before the parser sees a byte: the size bounds the parser's time and memory.
  if (body.size() > limits.max_bytes) {
    return protocol_error(
        fmt::format("TwiML is {} bytes, over the limit of {}", body.size(), limits.max_bytes));
  }
  if (trim(body).empty()) return protocol_error("TwiML is empty");
  // TwiML never needs a DTD, and refusing one rules out entity-expansion tricks outright.
  if (contains_ignoring_case(body, "<!DOCTYPE")) {
    return protocol_error("TwiML has a DOCTYPE, which TwiML never needs (refused)");
  }
  pugi::xml_document doc;
  const pugi::xml_parse_result parsed =
      // Whitespace-only text is kept: it separates words in <Say><prosody>a</prosody> b</Say>.
      doc.load_buffer(body.data(), body.size(), pugi::parse_default | pugi::parse_ws_pcdata,
                      pugi::encoding_utf8);
  if (!parsed) {
    return protocol_error(fmt::format("TwiML is not well-formed XML: {} at byte {}",
                                      parsed.description(), parsed.offset));
  }
  if (std::string shape = check_shape(doc, limits); !shape.empty()) {
    return protocol_error(std::move(shape));
  }
  pugi::xml_node root;
  for (pugi::xml_node node : doc.children()) {
    if (node.type() != pugi::node_element) continue;
    if (root) return protocol_error("TwiML has more than one root element");
    root = node;
  }
  if (!root) return protocol_error("TwiML has no root element");
  if (std::string_view(root.name()) != "Response") {
    return protocol_error(fmt::format("TwiML root is <{}>, not <Response>", quoted(root.name())));
  }
  return Interpreter(document_url, limits).run(root);
}

}  // namespace callsim
