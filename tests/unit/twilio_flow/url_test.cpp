#include "core/url.h"

#include <gtest/gtest.h>

namespace callsim {
namespace {

// RFC 3986 §5.4: every normal and abnormal example, against the RFC's base URI.
TEST(Url, ResolvesEveryExampleOfRfc3986) {
  const char* base = "http://a/b/c/d;p?q";
  const std::pair<const char*, const char*> examples[] = {
      // §5.4.1 normal examples
      {"g:h", "g:h"},
      {"g", "http://a/b/c/g"},
      {"./g", "http://a/b/c/g"},
      {"g/", "http://a/b/c/g/"},
      {"/g", "http://a/g"},
      {"//g", "http://g"},
      {"?y", "http://a/b/c/d;p?y"},
      {"g?y", "http://a/b/c/g?y"},
      {"#s", "http://a/b/c/d;p?q#s"},
      {"g#s", "http://a/b/c/g#s"},
      {"g?y#s", "http://a/b/c/g?y#s"},
      {";x", "http://a/b/c/;x"},
      {"g;x", "http://a/b/c/g;x"},
      {"g;x?y#s", "http://a/b/c/g;x?y#s"},
      {"", "http://a/b/c/d;p?q"},
      {".", "http://a/b/c/"},
      {"./", "http://a/b/c/"},
      {"..", "http://a/b/"},
      {"../", "http://a/b/"},
      {"../g", "http://a/b/g"},
      {"../..", "http://a/"},
      {"../../", "http://a/"},
      {"../../g", "http://a/g"},
      // §5.4.2 abnormal examples
      {"../../../g", "http://a/g"},
      {"../../../../g", "http://a/g"},
      {"/./g", "http://a/g"},
      {"/../g", "http://a/g"},
      {"g.", "http://a/b/c/g."},
      {".g", "http://a/b/c/.g"},
      {"g..", "http://a/b/c/g.."},
      {"..g", "http://a/b/c/..g"},
      {"./../g", "http://a/b/g"},
      {"./g/.", "http://a/b/c/g/"},
      {"g/./h", "http://a/b/c/g/h"},
      {"g/../h", "http://a/b/c/h"},
      {"g;x=1/./y", "http://a/b/c/g;x=1/y"},
      {"g;x=1/../y", "http://a/b/c/y"},
      {"g?y/./x", "http://a/b/c/g?y/./x"},
      {"g?y/../x", "http://a/b/c/g?y/../x"},
      {"g#s/./x", "http://a/b/c/g#s/./x"},
      {"g#s/../x", "http://a/b/c/g#s/../x"},
      {"http:g", "http:g"},  // strict parser
  };
  for (const auto& [reference, expected] : examples) {
    EXPECT_EQ(resolve_uri_reference(base, reference), std::optional<std::string>(expected))
        << "reference '" << reference << "'";
  }
}

TEST(Url, ResolvesAgainstWebhookUrls) {
  EXPECT_EQ(resolve_uri_reference("https://bot.example.com/webhook/incoming_call?tenant=7",
                                  "/ws/twilio-media"),
            "https://bot.example.com/ws/twilio-media");
  EXPECT_EQ(
      resolve_uri_reference("https://bot.example.com:8443/webhook/incoming_call", "stream_ended"),
      "https://bot.example.com:8443/webhook/stream_ended");
  EXPECT_EQ(resolve_uri_reference("http://127.0.0.1:5050", "webhook/x"),
            "http://127.0.0.1:5050/webhook/x");  // §5.2.3: an empty base path merges as "/"
  EXPECT_EQ(resolve_uri_reference("wss://h/a/b", "../c"), "wss://h/c");
}

TEST(Url, RefusesToResolveAgainstARelativeBase) {
  EXPECT_EQ(resolve_uri_reference("/webhook", "g"), std::nullopt);
  EXPECT_EQ(resolve_uri_reference("", "http://a/b"), std::nullopt);
}

TEST(Url, SplitsAndRecomposesAbsentAndEmptyComponentsDifferently) {
  const UriReference with_empty = split_uri_reference("http://a/b?#");
  ASSERT_TRUE(with_empty.query && with_empty.fragment);
  EXPECT_EQ(*with_empty.query, "");
  EXPECT_EQ(with_empty.to_string(), "http://a/b?#");

  const UriReference parts = split_uri_reference("wss://user@host:443/p/q?x=1#f");
  EXPECT_EQ(parts.scheme, std::optional<std::string>("wss"));
  EXPECT_EQ(parts.authority, std::optional<std::string>("user@host:443"));
  EXPECT_EQ(parts.path, "/p/q");
  EXPECT_EQ(parts.query, std::optional<std::string>("x=1"));
  EXPECT_EQ(parts.fragment, std::optional<std::string>("f"));

  const UriReference relative = split_uri_reference("a:b/c");  // "a" is a scheme
  EXPECT_EQ(relative.scheme, std::optional<std::string>("a"));
  const UriReference path_only = split_uri_reference("./a:b");  // not a scheme after "/"
  EXPECT_FALSE(path_only.scheme);
  EXPECT_EQ(path_only.path, "./a:b");
}

TEST(Url, RemovesDotSegmentsAsRfc3986Section524Shows) {
  EXPECT_EQ(remove_dot_segments("/a/b/c/./../../g"), "/a/g");
  EXPECT_EQ(remove_dot_segments("mid/content=5/../6"), "mid/6");
  EXPECT_EQ(remove_dot_segments("/.."), "/");
  EXPECT_EQ(remove_dot_segments(".."), "");
}

TEST(Url, NamesTheProblemWithAUrl) {
  EXPECT_EQ(url_problem("wss://example.com/ws/twilio-media", {"ws", "wss"}), "");
  EXPECT_EQ(url_problem("WSS://example.com/x", {"ws", "wss"}), "");
  EXPECT_EQ(url_problem("http://[::1]:8080/x", {"http", "https"}), "");
  EXPECT_EQ(url_problem("https://example.com/x", {"ws", "wss"}),
            "scheme 'https' is not one of ws, wss");
  EXPECT_EQ(url_problem("/relative", {"ws"}), "it is not an absolute URL");
  EXPECT_EQ(url_problem("wss:/no-host", {"wss"}), "it names no host");
  EXPECT_EQ(url_problem("wss://:443/x", {"wss"}), "it names no host");
  EXPECT_EQ(url_problem("wss://user@/x", {"wss"}), "it names no host");
  EXPECT_EQ(url_problem("wss://h/a b", {"wss"}), "it contains whitespace or control characters");
  EXPECT_EQ(url_problem("wss://h/\n", {"wss"}), "it contains whitespace or control characters");
  EXPECT_EQ(url_problem("1ws://h/", {"ws"}), "its scheme is malformed");
}

TEST(Url, SchemeIsLowerCased) {
  EXPECT_EQ(url_scheme("HTTPS://x/"), "https");
  EXPECT_EQ(url_scheme("//x/"), "");
}

}  // namespace
}  // namespace callsim

namespace callsim {
namespace {

TEST(WithoutQuery, DropsQueryAndFragmentOnly) {
  EXPECT_EQ(without_query("wss://h/ws/twilio-media?token=1"), "wss://h/ws/twilio-media");
  EXPECT_EQ(without_query("wss://h/ws#frag"), "wss://h/ws");
  EXPECT_EQ(without_query("ws://h:80/p"), "ws://h:80/p");
}

TEST(Url, LowerCasesTheSchemeOnly) {
  EXPECT_EQ(with_lower_case_scheme("WS://Host:80/Path?Q=A"), "ws://Host:80/Path?Q=A");
  EXPECT_EQ(with_lower_case_scheme("HtTpS://h/"), "https://h/");
  EXPECT_EQ(with_lower_case_scheme("/relative/Path:x"), "/relative/Path:x");
  EXPECT_EQ(with_lower_case_scheme("no-scheme"), "no-scheme");
  EXPECT_EQ(url_problem("WSS://h/ws", {"ws", "wss"}), "");
}

}  // namespace
}  // namespace callsim
