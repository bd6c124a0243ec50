#include "utterance_split.h"

namespace callsim {
namespace {

// [first voiced, last voiced] frame ranges of the detector's speaking spells.
template <typename Spell>
void for_each_spell(const media::FrameSource& clip, const media::SpeechDetector::Config& config,
                    Spell&& spell) {
  media::SpeechDetector detector(config);
  const media::FrameVoicing voicing(config.threshold_dbfs);
  bool speaking = false;
  size_t first = 0;
  size_t last_voiced = 0;
  for (size_t i = 0; i < clip.frame_count(); ++i) {
    const uint8_t* frame = clip.frame(i);
    const bool now_speaking = detector.push_frame(frame, media::FrameSource::kFrameBytes);
    const bool voiced = voicing.voiced(frame, media::FrameSource::kFrameBytes);
    if (now_speaking && !speaking) first = i + 1 - static_cast<size_t>(config.start_frames);
    if (now_speaking && voiced) last_voiced = i;
    if (!now_speaking && speaking) spell(first, last_voiced);
    speaking = now_speaking;
  }
  if (speaking) spell(first, last_voiced);
}

}  // namespace

std::vector<Utterance> split_utterances(const media::FrameSource& clip, size_t clip_index,
                                        const media::SpeechDetector::Config& detector) {
  std::vector<Utterance> out;
  for_each_spell(clip, detector, [&](size_t first, size_t last) {
    Utterance u;
    u.clip = clip_index;
    u.first_frame = first;
    u.frame_count = last - first + 1;
    u.first_voiced = 0;
    u.last_voiced = last - first;
    out.push_back(u);
  });
  return out;
}

Utterance whole_clip_utterance(const media::FrameSource& clip, size_t clip_index,
                               const media::SpeechDetector::Config& detector) {
  Utterance u;
  u.clip = clip_index;
  u.frame_count = clip.frame_count();
  u.last_voiced = clip.frame_count() - 1;
  bool any = false;
  for_each_spell(clip, detector, [&](size_t first, size_t last) {
    if (!any) u.first_voiced = first;
    any = true;
    u.last_voiced = last;
  });
  return u;
}

}  // namespace callsim
