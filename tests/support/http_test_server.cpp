#include "http_test_server.h"

#include <mutex>
#include <stdexcept>
#include <thread>

#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <websocketpp/config/asio.hpp>
#include <websocketpp/config/asio_no_tls.hpp>
#include <websocketpp/server.hpp>

namespace callsim::test {

struct HttpTestServer::Impl {
  virtual ~Impl() = default;
  virtual int port() const = 0;
  virtual void stop() = 0;
  bool tls = false;
  mutable std::mutex mutex;
  std::vector<HttpExchange> exchanges;
};

namespace {

template <typename Config>
class Server final : public HttpTestServer::Impl {
 public:
  using Endpoint = websocketpp::server<Config>;

  explicit Server(HttpHandler handler) : handler_(std::move(handler)) {
    endpoint_.clear_access_channels(websocketpp::log::alevel::all);
    endpoint_.clear_error_channels(websocketpp::log::elevel::all);
    endpoint_.init_asio();
    endpoint_.set_reuse_addr(true);
    endpoint_.set_http_handler([this](websocketpp::connection_hdl hdl) { on_http(hdl); });
  }

  Endpoint& endpoint() { return endpoint_; }

  void start() {
    endpoint_.listen(asio::ip::tcp::endpoint(asio::ip::address_v4::loopback(), 0));
    std::error_code ec;
    port_ = endpoint_.get_local_endpoint(ec).port();
    endpoint_.start_accept();
    thread_ = std::thread([this] { endpoint_.run(); });
  }

  int port() const override { return port_; }

  void stop() override {
    if (!thread_.joinable()) return;
    endpoint_.stop();  // unanswered connections included
    thread_.join();
    parked_.clear();
  }

  ~Server() override { stop(); }

 private:
  void on_http(websocketpp::connection_hdl hdl) {
    auto con = endpoint_.get_con_from_hdl(hdl);
    HttpExchange exchange;
    exchange.method = con->get_request().get_method();
    exchange.resource = con->get_resource();
    exchange.body = con->get_request_body();
    for (const auto& [name, value] : con->get_request().get_headers()) {
      std::string lower = name;
      for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      exchange.headers[lower] = value;
    }
    {
      std::lock_guard<std::mutex> lock(mutex);
      exchanges.push_back(exchange);
    }
    const HttpReply reply = handler_(exchange);
    if (reply.never) {
      con->defer_http_response();
      parked_.push_back(con);  // keeps the connection open, unanswered
      return;
    }
    con->set_status(static_cast<websocketpp::http::status_code::value>(reply.status));
    con->replace_header("Content-Type", reply.content_type);
    con->set_body(reply.body);
  }

  HttpHandler handler_;
  Endpoint endpoint_;
  std::thread thread_;
  int port_ = 0;
  std::vector<typename Endpoint::connection_ptr> parked_;
};

}  // namespace

HttpTestServer::HttpTestServer(HttpHandler handler, const std::string& tls_cert_file,
                               const std::string& tls_key_file) {
  if (tls_cert_file.empty()) {
    auto server = std::make_unique<Server<websocketpp::config::asio>>(std::move(handler));
    server->start();
    impl_ = std::move(server);
    return;
  }
  auto server = std::make_unique<Server<websocketpp::config::asio_tls>>(std::move(handler));
  server->endpoint().set_tls_init_handler(
      [tls_cert_file, tls_key_file](websocketpp::connection_hdl) {
        auto context = std::make_shared<asio::ssl::context>(asio::ssl::context::tls_server);
        context->use_certificate_chain_file(tls_cert_file);
        context->use_private_key_file(tls_key_file, asio::ssl::context::pem);
        return context;
      });
  server->start();
  server->tls = true;
  impl_ = std::move(server);
}

HttpTestServer::~HttpTestServer() {
  impl_->stop();
}

int HttpTestServer::port() const {
  return impl_->port();
}

std::string HttpTestServer::url(const std::string& path) const {
  return (impl_->tls ? "https://127.0.0.1:" : "http://127.0.0.1:") + std::to_string(port()) + path;
}

std::vector<HttpExchange> HttpTestServer::exchanges() const {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  return impl_->exchanges;
}

}  // namespace callsim::test
