#include "core/upgrade_status.h"

#include <gtest/gtest.h>

namespace callsim {
namespace {

TEST(UpgradeStatus, OnlyListedStatusesAreCapacityAnswers) {
  const std::vector<int> defaults = {503, 429};
  EXPECT_TRUE(is_capacity_status(defaults, 503));
  EXPECT_TRUE(is_capacity_status(defaults, 429));
  for (int status : {200, 301, 302, 400, 401, 403, 404, 500}) {
    EXPECT_FALSE(is_capacity_status(defaults, status)) << status;
  }
  EXPECT_TRUE(is_capacity_status({486}, 486));
  EXPECT_FALSE(is_capacity_status({486}, 503));
}

TEST(UpgradeStatus, DescriptionNamesTheStatusAndTwiliosError) {
  EXPECT_EQ(describe_upgrade_status(404), "upgrade answered HTTP 404 Not Found (Twilio: 31920)");
  EXPECT_EQ(describe_upgrade_status(200), "upgrade answered HTTP 200 OK (Twilio: 31920)");
  EXPECT_EQ(describe_upgrade_status(599), "upgrade answered HTTP 599 (Twilio: 31920)");
}

}  // namespace
}  // namespace callsim
