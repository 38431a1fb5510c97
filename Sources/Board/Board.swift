// Board files and the machine built from them; see BoardDescription and Machine.
