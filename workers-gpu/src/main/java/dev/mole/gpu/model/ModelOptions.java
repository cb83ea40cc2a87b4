package dev.mole.gpu.model;

import ai.djl.Device;
import ai.djl.engine.Engine;

/**
 * Run-time options: the device is configuration ("cpu", "gpu", "gpu:1", or "auto" = gpu when present), never a code path.
 */
public record ModelOptions(String device, RoutingMode routing) {

    public static ModelOptions defaults() {
        return new ModelOptions("cpu", RoutingMode.GROUPED);
    }

    public ModelOptions withRouting(RoutingMode r) {
        return new ModelOptions(device, r);
    }

    public ModelOptions withDevice(String d) {
        return new ModelOptions(d, routing);
    }

    Device resolveDevice() {
        Engine engine = Engine.getEngine("PyTorch");
        if (device == null || device.equals("auto")) {
            return engine.getGpuCount() > 0 ? Device.gpu() : Device.cpu();
        }
        Device d = Device.fromName(device, engine);
        // Device.fromName quietly falls back to the CPU when no GPU exists: a configured GPU must not run on CPU unnoticed
        boolean wantsGpu = device.startsWith("gpu") || device.startsWith("cuda");
        int gpus = engine.getGpuCount();
        if (wantsGpu && (!d.isGpu() || gpus == 0 || d.getDeviceId() >= gpus)) {
            throw new IllegalArgumentException("device '" + device + "' requested but the engine sees " + gpus + " GPU(s)");
        }
        // "gpu" without an index parses as gpu(-1): pin it to the first GPU
        return d.isGpu() && d.getDeviceId() < 0 ? Device.gpu(0) : d;
    }
}
