/** Test controls for labels (PRODUCT §7–§9). */
import '../test-controls';
