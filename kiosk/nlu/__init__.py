"""Understanding what visitors say: tokeniser, ONNX encoder, intent heads, entities.

Never imports Qt (import-linter contract). Heavy dependencies (numpy,
onnxruntime) load only when a model is used.
"""
