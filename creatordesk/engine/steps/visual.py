"""Visual: nudity, people (step `visual`) and the product (step `product`), on the kept frames only.

* Nudity and faces both come from NudeNet's detector, whose ONNX model ships inside the `nudenet`
  package: it labels exposed body parts and also faces, so one pass answers both questions. (The
  OpenCV wheels in use ship neither Haar cascades nor a face model.)
* Product visibility compares each frame with the brief's reference images by ORB feature
  matching; a frame shows the product when enough matches agree on one perspective transform.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np

from creatordesk.engine.steps.base import FrameVisual, ReviewState
from creatordesk.engine.types import Finding, Frame
from creatordesk.engine.wording import evidence_text

if TYPE_CHECKING:
    from creatordesk.engine.context import ReviewContext

# NudeNet labels that count as nudity. Covered parts, bellies, feet and male chests do not.
NUDITY_LABELS = frozenset(
    {
        "FEMALE_BREAST_EXPOSED",
        "FEMALE_GENITALIA_EXPOSED",
        "MALE_GENITALIA_EXPOSED",
        "BUTTOCKS_EXPOSED",
        "ANUS_EXPOSED",
    }
)
FACE_LABELS = frozenset({"FACE_FEMALE", "FACE_MALE"})
_FACE_MIN_SCORE = 0.4
_BATCH = 8

_detectors: dict[int, Any] = {}
_detector_lock = threading.Lock()

_TEXTS = {
    "nudity": {
        "en": "The frame shows nudity, which TikTok removes and TikTok Shop does not allow in promotions.",
        "de": "Das Bild zeigt Nacktheit; TikTok entfernt so etwas, im TikTok Shop ist es nicht erlaubt.",
    },
    "product_not_visible": {
        "en": "The product from the brief's reference images is hardly or never visible in the video.",
        "de": "Das Produkt aus den Referenzbildern des Briefings ist im Video kaum oder gar nicht zu sehen.",
    },
    "no_human_presence": {
        "en": "No face was detected; creator videos with a visible person usually perform better.",
        "de": "Kein Gesicht erkannt; Creator-Videos mit sichtbarer Person funktionieren meist besser.",
    },
}
_NUDITY_CITATION = "TikTok Community Guidelines, Sensitive and Mature Themes: Nudity and Body Exposure"
_BRIEF_CITATION = "Campaign brief: reference_images"
_PRESENCE_CITATION = "TikTok Shop creator best practice: show the person presenting the product"


def text(key: str, lang: str) -> str:
    return _TEXTS[key].get(lang, _TEXTS[key]["en"])


def detector(threads: int) -> Any:
    """The NudeNet detector with its ONNX Runtime session held to `threads`, loaded once per process."""
    with _detector_lock:
        model = _detectors.get(threads)
        if model is None:
            import nudenet
            import onnxruntime
            from nudenet import NudeDetector

            model = NudeDetector()
            # NudeDetector takes no session options and ONNX Runtime's default pool has a thread per
            # core, so the packaged model is opened once more with a bounded pool.
            options = onnxruntime.SessionOptions()
            options.intra_op_num_threads = threads
            options.inter_op_num_threads = 1
            model.onnx_session = onnxruntime.InferenceSession(
                str(Path(nudenet.__file__).with_name("320n.onnx")),
                sess_options=options,
                providers=["CPUExecutionProvider"],
            )
            _detectors[threads] = model
        return model


def detect_people(frames: list[Frame], *, threads: int) -> list[list[dict[str, Any]]]:
    """NudeNet detections (class, score, box) per frame."""
    import cv2

    model = detector(threads)
    images = []
    for frame in frames:
        image: np.ndarray = frame.image  # type: ignore[assignment]
        # The model looks at 320 px; shrinking first saves its own, slower resize of a large frame.
        scale = 640 / max(image.shape[:2])
        if scale < 1:
            image = cv2.resize(image, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
        images.append(image)
    return model.detect_batch(images, batch_size=_BATCH)


class ProductMatcher:
    """Finds the brief's product in frames by ORB features matched against its reference images."""

    def __init__(self, reference_images: tuple[Path, ...], min_matches: int) -> None:
        import cv2

        self.min_matches = min_matches
        self.orb = cv2.ORB.create(nfeatures=1500)
        self.matcher = cv2.BFMatcher(cv2.NORM_HAMMING)
        self.references = []
        for path in reference_images:
            image = cv2.imread(str(path), cv2.IMREAD_GRAYSCALE)
            if image is None:
                raise ValueError(f"reference image {path.name} cannot be read")
            scale = 640 / max(image.shape[:2])
            if scale < 1:
                image = cv2.resize(image, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
            keypoints, descriptors = self.orb.detectAndCompute(image, None)
            if descriptors is not None and len(keypoints) >= min_matches:
                self.references.append((keypoints, descriptors))

    def matches(self, frame: np.ndarray) -> int:
        """The most geometrically consistent matches any reference image has in the frame."""
        import cv2

        gray = cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY)
        keypoints, descriptors = self.orb.detectAndCompute(gray, None)
        if descriptors is None or len(keypoints) < self.min_matches:
            return 0
        best = 0
        for ref_keypoints, ref_descriptors in self.references:
            pairs = self.matcher.knnMatch(ref_descriptors, descriptors, k=2)
            # Lowe's ratio test drops matches that are barely better than the runner-up.
            good = [p[0] for p in pairs if len(p) == 2 and p[0].distance < 0.75 * p[1].distance]
            if len(good) < self.min_matches:
                continue
            src = np.array([ref_keypoints[m.queryIdx].pt for m in good], dtype=np.float32).reshape(-1, 1, 2)
            dst = np.array([keypoints[m.trainIdx].pt for m in good], dtype=np.float32).reshape(-1, 1, 2)
            _, inliers = cv2.findHomography(src, dst, cv2.RANSAC, 5.0)
            best = max(best, int(inliers.sum()) if inliers is not None else 0)
        return best


def _ranges(times: list[float], flags: list[bool], duration_s: float) -> list[tuple[float, float]]:
    """Merge flagged kept frames into time ranges; a kept frame lasts until the next one."""
    ranges: list[tuple[float, float]] = []
    for index, flagged in enumerate(flags):
        if not flagged:
            continue
        end = times[index + 1] if index + 1 < len(times) else duration_s
        if ranges and ranges[-1][1] >= times[index]:
            ranges[-1] = (ranges[-1][0], end)
        else:
            ranges.append((times[index], end))
    return ranges


def nudity_findings(visual: list[FrameVisual], duration_s: float, lang: str) -> list[Finding]:
    times = [v.t for v in visual]
    flags = [bool(v.nudity) for v in visual]
    findings = []
    for start, end in _ranges(times, flags, duration_s):
        labels = sorted(
            {
                f"{label.lower().replace('_', ' ')} ({score:.0%})"
                for v in visual
                for label, score in v.nudity
                if start <= v.t < end
            }
        )
        findings.append(
            Finding(
                rule="visual.nudity",
                category="nudity",
                severity="block",
                source="visual",
                start_s=start,
                end_s=end,
                evidence=", ".join(labels),
                explanation=text("nudity", lang),
                citation=_NUDITY_CITATION,
            )
        )
    return findings


class VisualStep:
    """Nudity and people, from one NudeNet pass over the kept frames."""

    name: ClassVar[str] = "visual"
    needs: ClassVar[tuple[str, ...]] = ("frames",)

    def applies_to(self, state: ReviewState) -> bool:
        return bool(state.frames)

    def run(self, ctx: ReviewContext, state: ReviewState) -> None:
        detections = detect_people(state.frames, threads=ctx.threads)
        visual = []
        for frame, found in zip(state.frames, detections, strict=True):
            nudity = tuple(
                (d["class"], float(d["score"]))
                for d in found
                if d["class"] in NUDITY_LABELS and d["score"] >= ctx.nudity_min_score
            )
            faces = sum(1 for d in found if d["class"] in FACE_LABELS and d["score"] >= _FACE_MIN_SCORE)
            visual.append(FrameVisual(t=frame.t, faces=faces, nudity=nudity))
        state.visual = visual

        lang = state.brief.language
        findings = nudity_findings(visual, state.duration_s, lang)
        if not any(v.faces for v in visual):
            findings.append(
                Finding(
                    rule="visual.no_human_presence",
                    category="no_human_presence",
                    severity="info",
                    source="visual",
                    start_s=0.0,
                    end_s=state.duration_s,
                    evidence=evidence_text("visual.no_human_presence", frames=str(len(visual))),
                    explanation=text("no_human_presence", lang),
                    citation=_PRESENCE_CITATION,
                )
            )
        state.add_findings(findings)


class ProductStep:
    """Is the product from the brief's reference images in the picture, and how often."""

    name: ClassVar[str] = "product"
    needs: ClassVar[tuple[str, ...]] = ("frames",)

    def applies_to(self, state: ReviewState) -> bool:
        return bool(state.frames) and bool(state.brief.reference_images)

    def run(self, ctx: ReviewContext, state: ReviewState) -> None:
        matcher = ProductMatcher(state.brief.reference_images, ctx.product_min_matches)
        state.product_matches = [(frame.t, matcher.matches(frame.image)) for frame in state.frames]  # type: ignore[arg-type]
        share = product_share(state.product_matches, ctx.product_min_matches)
        if share < ctx.product_min_share:
            state.add_findings(
                [
                    Finding(
                        rule="visual.product_not_visible",
                        category="product_not_visible",
                        severity="warn",
                        source="visual",
                        start_s=0.0,
                        end_s=state.duration_s,
                        evidence=evidence_text("visual.product_not_visible", share=f"{share:.0%}"),
                        explanation=text("product_not_visible", state.brief.language),
                        citation=_BRIEF_CITATION,
                    )
                ]
            )


def product_share(matches: list[tuple[float, int]], min_matches: int) -> float:
    """Share of kept frames that show the product, from (time, matches) per frame."""
    if not matches:
        return 0.0
    return sum(1 for _, count in matches if count >= min_matches) / len(matches)
