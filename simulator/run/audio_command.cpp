#include "run/audio_command.h"

#include <CLI/CLI.hpp>
#include <cmath>
#include <cstdio>

#include <fmt/format.h>

#include "core/errors.h"
#include "core/exit_codes.h"
#include "media/clip_stats.h"
#include "media/frame_source.h"
#include "media/media_error.h"
#include "media/speech_detector.h"
#include "media/wav_writer.h"

namespace callsim {

namespace {

std::string level(double dbfs) {
  return std::isinf(dbfs) ? std::string("silent") : fmt::format("{:.1f} dBFS", dbfs);
}

void print_stats(const media::FrameSource& source, const media::ClipStats& stats,
                 const media::SpeechDetector::Config& detector) {
  fmt::print("file      {}\n", source.name());
  fmt::print("duration  {:.2f} s (audio {:.3f} s, padded to whole frames)\n", stats.seconds,
             static_cast<double>(source.sample_count()) / 8000.0);
  fmt::print("frames    {} of 20 ms (160 bytes of 8 kHz mu-law each)\n", stats.frames);
  fmt::print("peak      {}\n", level(stats.peak_dbfs));
  fmt::print("rms       {}\n", level(stats.rms_dbfs));
  fmt::print(
      "speech    {:.0f}% of frames, {} utterance{} (threshold {:.0f} dBFS, hangover {} ms)\n",
      stats.speech_ratio * 100.0, stats.utterances, stats.utterances == 1 ? "" : "s",
      detector.threshold_dbfs, detector.hangover_frames * 20);
}

}  // namespace

CLI::App* add_audio_subcommand(CLI::App& app, AudioCommandArgs& args) {
  CLI::App* audio = app.add_subcommand(
      "audio",
      "Show a fixture as callsim will send it: duration, frames, peak and RMS level, speech");
  audio->footer("\nExit codes: 0 done, 2 the file cannot be read or written.\n");
  audio
      ->add_option("FILE", args.file,
                   "WAV, FLAC, Ogg Opus/Vorbis, MP3, AIFF or raw 8 kHz mu-law (.ulaw/.raw)")
      ->required()
      ->type_name("FILE");
  audio
      ->add_option("--wav", args.wav_out,
                   "Also write the 8 kHz mu-law audio callsim sends as a WAV file, to listen to")
      ->type_name("OUT");
  return audio;
}

int audio_command(const AudioCommandArgs& args) {
  try {
    auto source = media::FrameSource::from_file(args.file);
    media::SpeechDetector::Config detector;
    print_stats(*source, media::measure_clip(*source, detector), detector);
    if (!args.wav_out.empty()) {
      media::WavWriter writer(args.wav_out, media::WavWriter::Encoding::kMulaw);
      writer.write_ulaw(source->ulaw().data(), source->ulaw().size());
      writer.finish();
      fmt::print("wrote     {} (8 kHz mono mu-law WAV)\n", args.wav_out);
    }
    std::fflush(stdout);
    return kExitPass;
  } catch (const media::MediaError& e) {
    // A file the user named is unusable: a usage error, not an internal one.
    throw InputError(e.what());
  }
}

}  // namespace callsim
