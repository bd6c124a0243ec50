#pragma once

#include <string>
#include <vector>

namespace callsim {

// Helpers for command-line errors a person understands.

// The candidate nearest to `typed` by edit distance (insertions, deletions, substitutions and
// swaps of neighbours), or "" when none is close enough to be what was meant (more than a third
// of the word, and at least 2 edits, away).
std::string nearest_word(const std::string& typed, const std::vector<std::string>& candidates);

// A share from 0 to 1 as typed for FLAG: throws InputError on a percentage ("50%", or 50 where
// 0..1 is expected) saying so, and on anything else that is not a number in range.
double parse_share(const std::string& flag, const std::string& text);

// `text` matched case-insensitively against `words`; InputError listing the allowed words
// otherwise. Returns the index of the word.
size_t parse_choice(const std::string& flag, const std::string& text,
                    const std::vector<std::string>& words);

}  // namespace callsim
