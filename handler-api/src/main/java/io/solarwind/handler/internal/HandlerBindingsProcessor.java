package io.solarwind.handler.internal;

import java.io.IOException;
import java.io.Writer;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.RoundEnvironment;
import javax.annotation.processing.SupportedAnnotationTypes;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.tools.Diagnostic;
import javax.tools.StandardLocation;

/**
 * Generates, at compile time, the Liberty binding of every {@code @Purpose} message-driven
 * bean to Solar Wind's one shared activation specification ({@link HandlerBindings#ACTIVATION_SPEC}):
 * {@code META-INF/solarwind/ibm-ejb-jar-bnd.xml} in the class output, which the WAR build
 * places at {@code WEB-INF/ibm-ejb-jar-bnd.xml} (see the README). Liberty activates a
 * message-driven bean only through such a binding or a server.xml entry per bean; this
 * keeps both out of the handler author's hands.
 */
@SupportedAnnotationTypes("io.solarwind.handler.Purpose")
public class HandlerBindingsProcessor extends AbstractProcessor {
    /** The id of the activation specification in {@code liberty/handlers.xml}. */
    public static final String OUTPUT = "META-INF/solarwind/ibm-ejb-jar-bnd.xml";

    private final Map<String, String> beans = new TreeMap<>();

    @Override
    public SourceVersion getSupportedSourceVersion() {
        return SourceVersion.latestSupported();
    }

    @Override
    public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
        for (TypeElement annotation : annotations) {
            for (Element element : round.getElementsAnnotatedWith(annotation)) {
                String bean = beanName(element);
                if (bean == null) {
                    processingEnv.getMessager().printMessage(Diagnostic.Kind.WARNING,
                            "@Purpose has effect only on a @MessageDriven bean", element);
                } else {
                    beans.put(bean, element.toString());
                }
            }
        }
        if (round.processingOver() && !beans.isEmpty()) {
            write();
        }
        return false;
    }

    /** The EJB name: {@code @MessageDriven(name)} or the simple class name; null when not message-driven. */
    private static String beanName(Element element) {
        for (AnnotationMirror mirror : element.getAnnotationMirrors()) {
            String type = mirror.getAnnotationType().toString();
            if (type.equals("jakarta.ejb.MessageDriven")) {
                for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> e : mirror.getElementValues().entrySet()) {
                    if (e.getKey().getSimpleName().contentEquals("name") && !e.getValue().getValue().toString().isEmpty()) {
                        return e.getValue().getValue().toString();
                    }
                }
                return element.getSimpleName().toString();
            }
        }
        return null;
    }

    private void write() {
        String xml = HandlerBindings.xml(beans);
        try (Writer out = processingEnv.getFiler().createResource(StandardLocation.CLASS_OUTPUT, "", OUTPUT).openWriter()) {
            out.write(xml);
        } catch (IOException e) {
            processingEnv.getMessager().printMessage(Diagnostic.Kind.ERROR, "Cannot write " + OUTPUT + ": " + e.getMessage());
        }
    }
}
