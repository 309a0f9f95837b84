/** A module that fails while loading, for the loader's error test. */
throw new Error("broken on purpose");
