/** Test controls for templates (PRODUCT §7–§9). */
import '../test-controls';
