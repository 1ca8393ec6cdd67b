// HTTPS end to end: both clients against both server models with a
// certificate made at start-up (server --tls-self-signed), on loopback only.
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <thread>

#include "json_records.hpp"
#include "process.hpp"
#include "text.hpp"

namespace kit::test {

namespace {

constexpr double delay = 0.2;
const std::string body_line = "This is a slow web api\n";

std::string https_url(const ServerProcess& server, const std::string& host = "127.0.0.1") {
  return "https://" + host + ":" + std::to_string(server.port()) + "/";
}

class Tls : public ::testing::TestWithParam<Model> {
 protected:
  ServerProcess start(std::vector<std::string> more = {}) const {
    std::vector<std::string> flags = GetParam().flags;
    flags.insert(flags.end(), {"--tls-self-signed", "--delay", std::to_string(delay), "--quiet"});
    flags.insert(flags.end(), more.begin(), more.end());
    return ServerProcess(flags);
  }
};

}  // namespace

// The generated certificate and key live only as long as the server.
TEST_P(Tls, SelfSignedKeyNeverTouchesTheDiskAndTheCertificateGoesOnEveryStopSignal) {
  for (const int stop_signal : {SIGTERM, SIGINT, SIGHUP, SIGQUIT}) {
    ServerProcess server = start();
    ASSERT_TRUE(server.started()) << server.log();
    const std::string certificate = server.certificate_file();
    ASSERT_FALSE(certificate.empty()) << server.log();
    const std::filesystem::path folder = std::filesystem::path(certificate).parent_path();
    ASSERT_TRUE(std::filesystem::exists(certificate));
    int files = 0;
    for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(folder)) ++files;
    EXPECT_EQ(files, 1) << "only the certificate is written, never the key";
    // The server still serves https with the key it keeps in memory.
    const ProgramResult fetched = run_program("client_async", {https_url(server), "--cacert", certificate});
    EXPECT_EQ(fetched.exit_code, 0) << fetched.err;

    EXPECT_EQ(server.stop(stop_signal, 10), 0) << stop_signal << "\n" << server.log();
    EXPECT_FALSE(std::filesystem::exists(folder)) << folder << " after signal " << stop_signal;
  }
}

TEST_P(Tls, BothClientsFetchOverHttpsWithTheTalksTiming) {
  ServerProcess server = start();
  ASSERT_TRUE(server.started()) << server.log();
  EXPECT_EQ(server.serving_line().rfind("Serving on https://127.0.0.1:", 0), 0u) << server.serving_line();
  const std::string certificate = server.certificate_file();
  ASSERT_FALSE(certificate.empty()) << server.log();

  const ProgramResult sync = run_program("client_sync", {https_url(server), "--cacert", certificate});
  const auto [async, records] =
      run_with_records("client_async", {https_url(server, "localhost"), "--cacert", certificate, "--summary"});
  ASSERT_EQ(sync.exit_code, 0) << sync.err;
  ASSERT_EQ(async.exit_code, 0) << async.err;
  EXPECT_EQ(sync.out, body_line + body_line);
  EXPECT_EQ(async.out.find(body_line + body_line), 0u) << async.out;
  EXPECT_NE(async.out.find("TLS handshake:"), std::string::npos) << async.out;
  // One after the other, and at the same time (handshakes under the
  // sanitizers take long enough to blur a ratio of the runs' lengths).
  EXPECT_GE(recap_seconds(sync.err), 2 * delay);
  expect_all_waited_at_once(records);
}

TEST_P(Tls, UntrustedCertificateIsRefusedUnlessInsecure) {
  ServerProcess server = start();
  ASSERT_TRUE(server.started()) << server.log();
  for (const std::string program : {"client_sync", "client_async"}) {
    const ProgramResult refused = run_program(program, {https_url(server), "-n", "1"});
    EXPECT_EQ(refused.exit_code, 1) << program;
    EXPECT_NE(refused.err.find("request 1: certificate not trusted"), std::string::npos) << refused.err;
    EXPECT_EQ(refused.out, "");

    const ProgramResult insecure = run_program(program, {https_url(server), "-n", "1", "--insecure"});
    EXPECT_EQ(insecure.exit_code, 0) << insecure.err;
    EXPECT_EQ(insecure.out, body_line);
    EXPECT_NE(insecure.err.find("warning: --insecure"), std::string::npos) << insecure.err;
  }
}

TEST_P(Tls, HostNameMismatchIsRefused) {
  // The certificate names localhost, 127.0.0.1 and ::1; 127.0.0.2 is loopback too.
  ServerProcess server = start({"--host", "127.0.0.2"});
  if (!server.started()) GTEST_SKIP() << "cannot listen on 127.0.0.2 here: " << server.log();
  const std::string certificate = server.certificate_file();
  for (const std::string program : {"client_sync", "client_async"}) {
    const ProgramResult result =
        run_program(program, {https_url(server, "127.0.0.2"), "-n", "1", "--cacert", certificate});
    EXPECT_EQ(result.exit_code, 1) << program;
    EXPECT_NE(result.err.find("request 1: certificate host-name mismatch"), std::string::npos)
        << program << ": " << result.err;
  }
}

TEST_P(Tls, PlainHttpServerAtAnHttpsUrlIsNamed) {
  std::vector<std::string> flags = GetParam().flags;
  flags.insert(flags.end(), {"--delay", "0", "--quiet"});
  ServerProcess plain(flags);
  ASSERT_TRUE(plain.started()) << plain.log();
  for (const std::string program : {"client_sync", "client_async"}) {
    const ProgramResult result = run_program(program, {https_url(plain), "-n", "1", "--insecure"});
    EXPECT_EQ(result.exit_code, 1) << program;
    EXPECT_NE(result.err.find("request 1: TLS handshake failed"), std::string::npos) << result.err;
    EXPECT_NE(result.err.find("does the server speak TLS?"), std::string::npos) << result.err;
  }
}

TEST(TlsServer, BadCertificateFilesExitTwo) {
  const std::string not_a_certificate = ::testing::TempDir() + "/kit-not-a-certificate.pem";
  std::ofstream(not_a_certificate) << "hello\n";
  const ProgramResult missing = run_program("server", {"--tls-cert", "/no/such.pem", "--tls-key", "/no/key.pem"}, 10);
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_EQ(missing.err.rfind("server: ", 0), 0u) << missing.err;
  const ProgramResult only_one = run_program("server", {"--tls-cert", not_a_certificate}, 10);
  EXPECT_EQ(only_one.exit_code, 2) << only_one.err;
  for (const std::vector<std::string>& model : {std::vector<std::string>{}, {"--async"}}) {
    std::vector<std::string> args = model;
    args.insert(args.end(), {"--port", "0", "--tls-cert", not_a_certificate, "--tls-key", not_a_certificate});
    const ProgramResult not_pem = run_program("server", args, 10);
    EXPECT_EQ(not_pem.exit_code, 2) << not_pem.err;
    EXPECT_NE(not_pem.err.find("cannot use certificate " + not_a_certificate), std::string::npos) << not_pem.err;
  }
  std::remove(not_a_certificate.c_str());
}

INSTANTIATE_TEST_SUITE_P(Models, Tls, ::testing::Values(Model{"WorkerPool", {}}, Model{"EventLoop", {"--async"}}),
                         [](const auto& info) { return info.param.name; });

}  // namespace kit::test
