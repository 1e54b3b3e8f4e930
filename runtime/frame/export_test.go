package frame

// WriteBack turns c's write-back cache on (as ExecuteBlock does) and returns
// the function that hands the pending writes to the host and turns it off.
func WriteBack(c *Context) (end func()) {
	was := c.beginWriteBack()
	return func() { c.endWriteBack(was) }
}
