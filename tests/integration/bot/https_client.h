#pragma once

#include <string>
#include <vector>

#include "raw_http.h"

namespace callsim::bot::test {

// One HTTPS request through libcurl, the server's certificate verified against `ca_file` and
// the host name checked; `headers` are extra "Name: value" lines. Status 0 when no answer came
// (TLS or connection failure).
HttpResponse https_request(const std::string& url, const std::string& ca_file,
                           const std::string& method = "GET", const std::string& form_body = "",
                           const std::vector<std::string>& headers = {});

}  // namespace callsim::bot::test
