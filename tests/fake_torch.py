"""A stand-in torch for running the whole smoke check in the test process: tensors are one number
(with a device and a shape), so every computation the check does has a known result, and a
device can be made to compute wrong (`off`) to see the report say so. Only what the smoke check
calls is here."""

from __future__ import annotations

import contextlib
import math
import warnings
from types import SimpleNamespace

from helpers import NO_MPS


class Tensor:
    def __init__(
        self,
        torch: FakeTorch,
        value: float = 1.0,
        device: str = "cpu",
        shape: tuple = (),
        dtype: str = "float32",
    ):
        self.torch, self.value, self.device, self.shape = torch, value, str(device), tuple(shape)
        self.dtype = dtype

    def _new(self, value=None, device=None, shape=None, dtype=None) -> Tensor:
        return Tensor(
            self.torch,
            self.value if value is None else value,
            self.device if device is None else device,
            self.shape if shape is None else shape,
            self.dtype if dtype is None else dtype,
        )

    def to(self, device=None, dtype=None) -> Tensor:
        device = self.device if device is None else str(device)
        value = self.value
        if device != self.device and isinstance(value, float):
            value *= 1 + self.torch.off.get(device, 0.0)
        return self._new(value, device, dtype=dtype)

    def cpu(self) -> Tensor:
        return self._new(device="cpu")

    def double(self) -> Tensor:
        return self._new(dtype="float64")

    def float(self) -> Tensor:
        return self._new(dtype="float32")

    def abs(self) -> Tensor:
        return self._new(abs(self.value))

    def max(self) -> Tensor:
        return self._new()

    def all(self) -> bool:
        return bool(self.value)

    def item(self) -> float:
        one = isinstance(self.value, list) and len(self.value) == 1
        return self.value[0] if one else self.value

    def tolist(self):
        return self.value

    def unsqueeze(self, dim: int) -> Tensor:
        return self._new(shape=(1, *self.shape))

    def __matmul__(self, other: Tensor) -> Tensor:
        if self.dtype != other.dtype:  # as torch refuses it
            raise RuntimeError(
                f"expected m1 and m2 to have the same dtype, got {self.dtype} != {other.dtype}"
            )
        return self._new(self.value * other.value)

    def __sub__(self, other: Tensor) -> Tensor:
        return self._new(self.value - other.value)

    def __add__(self, other) -> Tensor:
        return self._new(self.value + getattr(other, "value", other))

    def __mul__(self, other) -> Tensor:
        return self._new(self.value * getattr(other, "value", other))

    def __pow__(self, power) -> Tensor:
        return self._new(self.value**power)

    def __truediv__(self, other: Tensor) -> Tensor:
        return self._new(self.value / other.value)


class FakeTorch:
    """`FakeTorch("2.9.1+cu128", cuda="12.8", gpus=[(name, major, minor), ...])`; `off`: device ->
    the relative error its results carry; `no_bf16`: devices without bfloat16."""

    def __init__(
        self, version="2.9.1+cpu", cuda=None, hip=None, gpus=(), arch_list=(), off=None, no_bf16=(), xpu=()
    ):
        self.__version__ = version
        self.off = dict(off or {})
        self.warning = ""
        self.float32, self.bfloat16, self.float64 = "float32", "bfloat16", "float64"
        self.version = SimpleNamespace(cuda=cuda, hip=hip, xpu=None)
        self._precision, self._current = "highest", 0
        gpus = list(gpus)

        @contextlib.contextmanager
        def device(index):
            previous, self._current = self._current, index
            yield
            self._current = previous

        def properties(name):
            model, major, minor, *gcn = gpus[int(str(name).split(":")[1])]
            extra = {"gcnArchName": gcn[0]} if gcn else {}
            return SimpleNamespace(name=model, major=major, minor=minor, total_memory=24 * 2**30, **extra)

        xpu = list(xpu)
        if xpu:
            self.version.xpu = "20250101"
            self.xpu = SimpleNamespace(
                is_available=lambda: True,
                device_count=lambda: len(xpu),
                get_device_properties=lambda name: SimpleNamespace(
                    name=xpu[int(str(name).split(":")[1])], total_memory=16 * 2**30
                ),
                device=device,
                is_bf16_supported=lambda: True,
                mem_get_info=lambda name: (15 * 2**30, 16 * 2**30),
            )

        self.cuda = SimpleNamespace(
            is_available=self._cuda_available,
            device_count=lambda: len(gpus),
            get_device_properties=properties,
            get_arch_list=lambda: list(arch_list),
            device=device,
            is_bf16_supported=lambda: f"cuda:{self._current}" not in no_bf16,
            mem_get_info=lambda name: (20 * 2**30, 24 * 2**30),
        )
        cudnn = SimpleNamespace(is_available=lambda: bool(cuda), version=lambda: 91002, allow_tf32=True)
        self.backends = SimpleNamespace(
            mps=NO_MPS, cudnn=cudnn, cuda=SimpleNamespace(matmul=SimpleNamespace(allow_tf32=False))
        )
        self.nn = SimpleNamespace(
            functional=SimpleNamespace(conv2d=lambda x, w: x._new(x.value * w.value)), Linear=self._linear
        )
        self.compiled_off = 0.0  # the relative error torch.compile'd code carries

    def _linear(self, inputs, outputs, dtype=None):
        class Linear:
            scale = 1.0

            def to(self, device):
                return self

            def __call__(self, x):
                return x._new(x.value * self.scale)

        return Linear()

    def compile(self, function, dynamic=None):
        return lambda x: function(x) * (1 + self.compiled_off)

    def cos(self, x):
        return x._new(math.cos(1.0))

    def _cuda_available(self) -> bool:
        if self.warning:  # what torch says when it finds a GPU it cannot use
            warnings.warn(self.warning, UserWarning, stacklevel=2)
        return self.cuda.device_count() > 0

    def Generator(self):  # noqa: N802 - torch's name
        return SimpleNamespace(manual_seed=lambda seed: None)

    def randn(self, *shape, generator=None, dtype=None, device="cpu"):
        return Tensor(self, 1.0, device, shape, dtype or "float32")

    def tensor(self, values, dtype=None, device="cpu"):
        return Tensor(self, values, device)

    def linspace(self, start, end, steps, device="cpu"):
        return Tensor(self, 1.0, device, (steps,))

    def sin(self, x):
        return x._new(math.sin(1.0))

    def isfinite(self, x):
        return x._new(1.0)

    def allclose(self, a, b, rtol, atol):
        return abs(a.value - b.value) <= atol + rtol * abs(b.value)

    def get_float32_matmul_precision(self):
        return self._precision

    def set_float32_matmul_precision(self, value):
        if value not in ("highest", "high", "medium"):
            raise RuntimeError(f"Invalid precision {value!r}")  # as torch answers
        self._precision = value
