/** Every built-in test control; importing this registers them. Add a feature's controls as one file here. */
import './bridge';
import './dialogs';
import './workspace';
import './sandbox';
import './clock';
import './inbox';
import './inbox-seed';
import './quick-replies';
import './labels';
import './templates';
import './stats';
import './privacy';
