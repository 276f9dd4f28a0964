/** Test controls for quick replies (PRODUCT §7–§9). */
import '../test-controls';
