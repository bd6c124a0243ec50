#pragma once

#include <string>

#include "core/options.h"
#include "gauge/gauge_trace.h"

namespace callsim {

// The terminal a person reads the run on.

// Columns of the terminal on `fd` (TIOCGWINSZ), else $COLUMNS, else 80.
int terminal_width(int fd);

// Whether to colour what goes to `fd`: --color always/never, and for auto a terminal with
// NO_COLOR unset or empty (https://no-color.org).
bool use_color(Options::Color color, int fd);

// The verdict table with its RESULT words (PASS green, FAIL red, SKIP dim) and the VERDICT line
// (PASS green, FAIL red, INCOMPLETE, INVALID and INTERRUPTED yellow) coloured with ANSI SGR.
std::string colorize_verdicts(const std::string& text);

// `line` cut to fit `width` columns less one (a line that fills the last column wraps on some
// terminals), counting UTF-8 characters.
std::string fit_width(const std::string& line, int width);

// Whether the gauge took more than one value over the run: the timeline table is worth a look.
bool gauge_moved(const GaugeTrace& trace);

// The verdict table with the rows of checks that --gauge none skipped folded into one line,
// "load only: no cap checks on the gauge (--gauge none): a, b, ...".
std::string fold_load_only_skips(const std::string& table);

}  // namespace callsim
