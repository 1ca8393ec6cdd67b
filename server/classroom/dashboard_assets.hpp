#pragma once
// The dashboard's page, style and script, and the student page's
// (server/classroom/pages/), built into the binary so that a classroom without a
// network still gets them.
#include <string_view>

namespace kit {

struct DashboardAsset {
  std::string_view content_type;
  std::string_view content;
};

// The file served at `path` ("/", "/dashboard.css", "/dashboard.js", "/class",
// "/class.css", "/class.js"), or nullptr.
const DashboardAsset* dashboard_asset(std::string_view path);

}  // namespace kit
