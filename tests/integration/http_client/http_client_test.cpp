#include "net/http_client.h"

#include <atomic>
#include <optional>
#include <set>

#include <gtest/gtest.h>

#include "child_process.h"
#include "http_test_server.h"
#include "raw_http_server.h"

namespace callsim {
namespace {

using namespace std::chrono_literals;
using test::HttpExchange;
using test::HttpReply;
using test::HttpTestServer;
using test::RawHttpServer;

class HttpClientTest : public ::testing::Test {
 protected:
  // Runs the io_context until `done()`; the bound only turns a hang into a failure.
  bool run_until(const std::function<bool()>& done, std::chrono::seconds bound = 30s) {
    const auto deadline = std::chrono::steady_clock::now() + bound;
    while (!done()) {
      if (std::chrono::steady_clock::now() > deadline) return false;
      io.restart();
      io.run_one_for(20ms);
    }
    return true;
  }

  // One POST, run to completion.
  HttpResponse post(HttpClient& client, const std::string& url, HttpHeaders headers = {},
                    std::string body = "") {
    std::optional<HttpResponse> response;
    client.post(url, std::move(headers), std::move(body),
                [&response](HttpResponse r) { response = std::move(r); });
    EXPECT_TRUE(run_until([&] { return response.has_value(); }));
    return response.value_or(HttpResponse{});
  }

  asio::io_context io;
};

HttpReply reply(int status, std::string body) {
  HttpReply r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

TEST_F(HttpClientTest, PostsFormBodyAndHeadersAndReadsTheAnswer) {
  HttpTestServer server(
      [](const HttpExchange&) { return reply(200, "<Response><Hangup/></Response>"); });
  HttpClient client(io);
  const HttpResponse response = post(client, server.url("/webhook/incoming_call?tenant=7"),
                                     {{"Content-Type", "application/x-www-form-urlencoded"},
                                      {"X-Twilio-Signature", "RSOYDt4T1cUTdK1PDd93/VVr8B8="},
                                      {"X-Empty", ""}},
                                     "CallSid=CA1&From=%2B14155550100");
  EXPECT_EQ(response.error, HttpError::kNone) << response.error_message;
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, "<Response><Hangup/></Response>");
  EXPECT_EQ(response.content_type, "text/xml");
  EXPECT_EQ(response.error_message, "");
  EXPECT_GT(response.elapsed, 0ns);

  const auto exchanges = server.exchanges();
  ASSERT_EQ(exchanges.size(), 1u);
  const HttpExchange& seen = exchanges[0];
  EXPECT_EQ(seen.method, "POST");
  EXPECT_EQ(seen.resource, "/webhook/incoming_call?tenant=7");
  EXPECT_EQ(seen.body, "CallSid=CA1&From=%2B14155550100");
  EXPECT_EQ(seen.headers.at("content-type"), "application/x-www-form-urlencoded");
  EXPECT_EQ(seen.headers.at("x-twilio-signature"), "RSOYDt4T1cUTdK1PDd93/VVr8B8=");
  EXPECT_EQ(seen.headers.at("content-length"), "31");
  EXPECT_EQ(seen.headers.count("expect"), 0u);
  EXPECT_EQ(seen.headers.at("x-empty"), "");
  EXPECT_EQ(client.in_flight(), 0u);
}

TEST_F(HttpClientTest, ServerErrorIsAResponseNotAnError) {
  HttpTestServer server([](const HttpExchange&) { return reply(500, "oops"); });
  HttpClient client(io);
  const HttpResponse response = post(client, server.url("/webhook"));
  EXPECT_EQ(response.error, HttpError::kNone) << response.error_message;
  EXPECT_EQ(response.status, 500);
  EXPECT_EQ(response.body, "oops");
}

TEST_F(HttpClientTest, RedirectsAreReturnedNotFollowed) {
  HttpTestServer server([](const HttpExchange&) {
    HttpReply r = reply(302, "");
    return r;
  });
  HttpClient client(io);
  const HttpResponse response = post(client, server.url("/webhook"));
  EXPECT_EQ(response.error, HttpError::kNone) << response.error_message;
  EXPECT_EQ(response.status, 302);
  EXPECT_EQ(server.exchanges().size(), 1u);
}

TEST_F(HttpClientTest, ServerThatNeverAnswersTimesOut) {
  HttpTestServer server([](const HttpExchange&) {
    HttpReply r;
    r.never = true;
    return r;
  });
  HttpClientOptions options;
  options.timeout = 300ms;
  HttpClient client(io, options);
  const HttpResponse response = post(client, server.url("/slow"), {}, "x=1");
  EXPECT_EQ(response.error, HttpError::kTimeout) << response.error_message;
  EXPECT_EQ(response.status, 0);
  EXPECT_EQ(response.body, "");
  EXPECT_NE(response.error_message.find("timed out"), std::string::npos) << response.error_message;
  EXPECT_GE(response.elapsed, 300ms);        // a lower bound only: the timeout cannot fire early
  EXPECT_EQ(server.exchanges().size(), 1u);  // the request did arrive
}

TEST_F(HttpClientTest, RefusedConnectionIsAConnectionError) {
  const int port = test::free_tcp_port();  // nothing listens there
  HttpClient client(io);
  const HttpResponse response =
      post(client, "http://127.0.0.1:" + std::to_string(port) + "/webhook");
  EXPECT_EQ(response.error, HttpError::kConnection) << response.error_message;
  EXPECT_EQ(response.status, 0);
  EXPECT_NE(response.error_message.find("onnect"), std::string::npos) << response.error_message;
}

TEST_F(HttpClientTest, HundredConcurrentPostsAllCompleteWithTheirOwnAnswers) {
  HttpTestServer server(
      [](const HttpExchange& request) { return reply(200, "echo:" + request.body); });
  HttpClient client(io);
  constexpr int kRequests = 100;
  std::vector<std::optional<HttpResponse>> responses(kRequests);
  int completed = 0;
  for (int i = 0; i < kRequests; ++i) {
    client.post(server.url("/webhook/" + std::to_string(i)), {}, "n=" + std::to_string(i),
                [&responses, &completed, i](HttpResponse r) {
                  responses[i] = std::move(r);
                  ++completed;
                });
  }
  EXPECT_EQ(client.in_flight(), static_cast<size_t>(kRequests));
  EXPECT_EQ(completed, 0);  // nothing completes inside post()
  ASSERT_TRUE(run_until([&] { return completed == kRequests; }));
  for (int i = 0; i < kRequests; ++i) {
    ASSERT_TRUE(responses[i]);
    EXPECT_EQ(responses[i]->error, HttpError::kNone) << i << ": " << responses[i]->error_message;
    EXPECT_EQ(responses[i]->status, 200);
    EXPECT_EQ(responses[i]->body, "echo:n=" + std::to_string(i));
  }
  std::set<std::string> resources;
  for (const auto& exchange : server.exchanges()) resources.insert(exchange.resource);
  EXPECT_EQ(resources.size(), static_cast<size_t>(kRequests));
  EXPECT_EQ(client.in_flight(), 0u);
}

TEST_F(HttpClientTest, ResponseBodyIsCapped) {
  HttpTestServer server([](const HttpExchange& request) {
    return reply(200, std::string(request.resource == "/at-cap" ? 1000 : 1001, 'x'));
  });
  HttpClientOptions options;
  options.max_body_bytes = 1000;
  HttpClient client(io, options);
  const HttpResponse at_cap = post(client, server.url("/at-cap"));
  EXPECT_EQ(at_cap.error, HttpError::kNone) << at_cap.error_message;
  EXPECT_EQ(at_cap.body.size(), 1000u);
  const HttpResponse over = post(client, server.url("/over"));
  EXPECT_EQ(over.error, HttpError::kBodyTooLarge);
  EXPECT_EQ(over.error_message, "response body larger than 1000 bytes");
  EXPECT_EQ(over.body, "");
}

TEST_F(HttpClientTest, DefaultCapRefusesAHugeBody) {
  HttpTestServer server([](const HttpExchange&) { return reply(200, std::string(3 << 20, 'x')); });
  HttpClient client(io);
  const HttpResponse response = post(client, server.url("/bomb"));
  EXPECT_EQ(response.error, HttpError::kBodyTooLarge);
  EXPECT_EQ(response.error_message, "response body larger than 1048576 bytes");
}

TEST_F(HttpClientTest, AHugeHeaderIsNamedNotOutOfMemory) {
  RawHttpServer server([](const RawHttpServer::Request&) -> std::optional<std::string> {
    return RawHttpServer::response(200, "<Response/>", "text/xml",
                                   "X-Padding: " + std::string(1 << 20, 'a') + "\r\n");
  });
  HttpClient client(io);
  const HttpResponse response = post(client, server.url("/voice"));
  EXPECT_EQ(response.error, HttpError::kHeaderTooLarge) << response.error_message;
  EXPECT_EQ(response.error_message,
            "response header larger than 102400 bytes (libcurl's limit for one header)");
}

TEST_F(HttpClientTest, CancelAbandonsARequestInFlightAtOnce) {
  RawHttpServer server([](const RawHttpServer::Request&) { return std::nullopt; });
  HttpClient client(io);
  bool called = false;
  uint64_t id = client.post(server.url("/slow"), {}, "", [&](HttpResponse) { called = true; });
  ASSERT_TRUE(run_until([&] { return server.requests().size() == 1; }));
  client.cancel(id);
  EXPECT_EQ(client.in_flight(), 0u);
  // Nothing of the request may keep the io_context busy: not its socket, not its 15 s timeout.
  io.restart();
  io.run_for(10s);
  EXPECT_TRUE(io.stopped()) << "work left behind by a cancelled request";
  EXPECT_FALSE(called);
  // The client still works, and cancelling a finished or unknown id does nothing.
  client.cancel(id);
  client.cancel(12345);
  HttpTestServer answering([](const HttpExchange&) { return reply(200, "ok"); });
  EXPECT_EQ(post(client, answering.url("/after")).body, "ok");
}

TEST_F(HttpClientTest, CancelBeforeAnEarlyFailureSkipsItsCallback) {
  HttpClient client(io);
  bool called = false;
  uint64_t id = client.post("http://127.0.0.1:1/x", {{"Bad:Name", "v"}}, "",
                            [&](HttpResponse) { called = true; });
  client.cancel(id);
  io.restart();
  io.run_for(5s);
  EXPECT_FALSE(called);
  EXPECT_EQ(client.in_flight(), 0u);
}

TEST_F(HttpClientTest, SchemesAreCaseInsensitive) {
  HttpTestServer server([](const HttpExchange&) { return reply(200, "ok"); });
  std::string url = server.url("/upper");
  url.replace(0, 4, "HTTP");
  HttpClient client(io);
  const HttpResponse response = post(client, url);
  EXPECT_EQ(response.error, HttpError::kNone) << response.error_message;
  EXPECT_EQ(response.body, "ok");
}

TEST_F(HttpClientTest, InvalidRequestsFailThroughTheCallback) {
  HttpClient client(io);
  bool called = false;
  HttpResponse bad_header;
  client.post("http://127.0.0.1:1/x", {{"X-Evil", "a\r\nInjected: yes"}}, "", [&](HttpResponse r) {
    bad_header = std::move(r);
    called = true;
  });
  EXPECT_FALSE(called);  // never from inside post()
  EXPECT_EQ(client.in_flight(), 1u);
  ASSERT_TRUE(run_until([&] { return called; }));
  EXPECT_EQ(bad_header.error, HttpError::kInvalidRequest);
  EXPECT_EQ(bad_header.error_message,
            "header 'X-Evil' has an empty or malformed name, or a line break in its value");
  EXPECT_EQ(client.in_flight(), 0u);

  EXPECT_EQ(post(client, "ftp://127.0.0.1/x").error, HttpError::kInvalidRequest);
  EXPECT_EQ(post(client, "file:///etc/passwd").error, HttpError::kInvalidRequest);
  EXPECT_EQ(post(client, "http://[::1").error, HttpError::kInvalidRequest);
  EXPECT_EQ(post(client, "http://127.0.0.1/x", {{"Bad:Name", "v"}}).error,
            HttpError::kInvalidRequest);
  EXPECT_EQ(post(client, "http://127.0.0.1/x", {{"Bad\r\nName", "v"}}).error_message,
            "header 'Bad??Name' has an empty or malformed name, or a line break in its value");
}

TEST_F(HttpClientTest, CallbacksMayStartNewRequests) {
  HttpTestServer server([](const HttpExchange& request) {
    return reply(200, request.resource == "/first" ? "/second" : "done");
  });
  HttpClient client(io);
  std::string final_body;
  client.post(server.url("/first"), {}, "", [&](HttpResponse first) {
    client.post(server.url(first.body), {}, "",
                [&](HttpResponse second) { final_body = second.body; });
  });
  ASSERT_TRUE(run_until([&] { return !final_body.empty(); }));
  EXPECT_EQ(final_body, "done");
  EXPECT_EQ(server.exchanges().size(), 2u);
}

TEST_F(HttpClientTest, DestroyingTheClientAbandonsRequestsInFlight) {
  HttpTestServer server([](const HttpExchange& request) {
    HttpReply r = reply(200, "fast");
    r.never = request.resource == "/never";
    return r;
  });
  int callbacks = 0;
  {
    HttpClient client(io);
    for (int i = 0; i < 3; ++i)
      client.post(server.url("/never"), {}, "", [&](HttpResponse) { ++callbacks; });
    ASSERT_TRUE(run_until([&] { return server.exchanges().size() == 3; }));
    // Its failure is already queued on the io_context when the client goes.
    client.post("http://127.0.0.1:1/x", {{"Bad\n", "v"}}, "", [&](HttpResponse) { ++callbacks; });
    EXPECT_EQ(client.in_flight(), 4u);
  }
  io.restart();
  io.run_for(100ms);  // whatever was still queued runs now, and must not call back
  EXPECT_EQ(callbacks, 0);
}

TEST_F(HttpClientTest, ACallbackMayDestroyTheClient) {
  HttpTestServer server([](const HttpExchange&) { return reply(200, "ok"); });
  auto client = std::make_unique<HttpClient>(io);
  int callbacks = 0;
  for (int i = 0; i < 5; ++i) {
    client->post(server.url("/x"), {}, "", [&](HttpResponse) {
      ++callbacks;
      client.reset();
    });
  }
  ASSERT_TRUE(run_until([&] { return callbacks > 0; }));
  io.restart();
  io.run_for(100ms);
  EXPECT_EQ(callbacks, 1);  // the rest were abandoned with the client
  EXPECT_EQ(client, nullptr);
}

class HttpsClientTest : public HttpClientTest {
 protected:
  test::TempDir dir;
  test::TestCertificate certificate = test::make_test_certificate(dir.path());
  HttpTestServer server{[](const HttpExchange&) { return reply(200, "secure"); },
                        certificate.cert_file, certificate.key_file};
};

TEST_F(HttpsClientTest, UntrustedCertificateFailsByDefault) {
  HttpClient client(io);
  const HttpResponse response = post(client, server.url("/webhook"));
  EXPECT_EQ(response.error, HttpError::kTls) << response.error_message;
  EXPECT_EQ(response.status, 0);
  EXPECT_TRUE(server.exchanges().empty());
}

TEST_F(HttpsClientTest, CaFileTrustsTheServer) {
  HttpClientOptions options;
  options.ca_file = certificate.cert_file;
  HttpClient client(io, options);
  HttpResponse response = post(client, server.url("/webhook"), {}, "a=1");
  EXPECT_EQ(response.error, HttpError::kNone) << response.error_message;
  EXPECT_EQ(response.body, "secure");
  // By name too: the certificate names localhost.
  response = post(client, "https://localhost:" + std::to_string(server.port()) + "/webhook");
  EXPECT_EQ(response.error, HttpError::kNone) << response.error_message;
  ASSERT_EQ(server.exchanges().size(), 2u);
  EXPECT_EQ(server.exchanges()[0].body, "a=1");
}

TEST_F(HttpClientTest, TrustedCertificateForAnotherNameFails) {
  test::TempDir dir;
  const test::TestCertificate elsewhere =
      test::make_test_certificate(dir.path(), "DNS:elsewhere.example");
  HttpTestServer server([](const HttpExchange&) { return reply(200, "secure"); },
                        elsewhere.cert_file, elsewhere.key_file);
  HttpClientOptions options;
  options.ca_file = elsewhere.cert_file;  // the chain is trusted; the name is not 127.0.0.1
  HttpClient client(io, options);
  const HttpResponse response = post(client, server.url("/webhook"));
  EXPECT_EQ(response.error, HttpError::kTls) << response.error_message;
  EXPECT_TRUE(server.exchanges().empty());
}

TEST_F(HttpsClientTest, InsecureSkipsVerification) {
  HttpClientOptions options;
  options.insecure = true;
  HttpClient client(io, options);
  const HttpResponse response = post(client, server.url("/webhook"));
  EXPECT_EQ(response.error, HttpError::kNone) << response.error_message;
  EXPECT_EQ(response.body, "secure");
}

TEST(HttpError, Names) {
  EXPECT_STREQ(to_string(HttpError::kNone), "none");
  EXPECT_STREQ(to_string(HttpError::kTimeout), "timeout");
  EXPECT_STREQ(to_string(HttpError::kConnection), "connection");
  EXPECT_STREQ(to_string(HttpError::kResolve), "resolve");
  EXPECT_STREQ(to_string(HttpError::kTls), "tls");
  EXPECT_STREQ(to_string(HttpError::kBodyTooLarge), "body-too-large");
  EXPECT_STREQ(to_string(HttpError::kInvalidRequest), "invalid-request");
  EXPECT_STREQ(to_string(HttpError::kOther), "other");
}

}  // namespace
}  // namespace callsim
